/** Prefect I/O of the work pool: read it, create it from the server's ECS default, update, delete. */
import { PrefectApiError, PrefectResponseError } from '../common/errors';
import { expectData, type PrefectClient } from '../common/prefect/client';
import { applyStackSettings, ownsMatch, type BaseJobTemplate } from './baseJobTemplate';
import { WorkPoolTypeError } from './errors';
import type { PoolSettings } from './settings';

export interface PoolOutcome {
  readonly action: 'created' | 'updated' | 'unchanged';
  readonly poolId?: string;
}

interface WorkPool {
  id?: string;
  name: string;
  type: string;
  base_job_template: BaseJobTemplate;
}

async function findPool(prefect: PrefectClient, name: string): Promise<WorkPool | undefined> {
  try {
    const pool = await expectData(`/work_pools/${name}`, () => prefect.GET('/work_pools/{name}', { params: { path: { name } } }));
    return { id: pool.id, name: pool.name, type: pool.type, base_job_template: pool.base_job_template as unknown as BaseJobTemplate };
  } catch (error) {
    if (error instanceof PrefectApiError && error.status === 404) return undefined;
    throw error;
  }
}

/** The ECS default base job template, from the server, as `prefect work-pool create --type ecs` gets it. */
export async function defaultEcsTemplate(prefect: PrefectClient): Promise<BaseJobTemplate> {
  const path = '/collections/views/aggregate-worker-metadata';
  const metadata = (await expectData(path, () =>
    prefect.GET('/collections/views/{view}', { params: { path: { view: 'aggregate-worker-metadata' } } }),
  )) as Record<string, Record<string, { default_base_job_configuration?: BaseJobTemplate } | undefined> | undefined>;
  const template = metadata?.['prefect-aws']?.ecs?.default_base_job_configuration;
  if (!template?.job_configuration || !template.variables) {
    throw new PrefectResponseError(path, 'no prefect-aws ecs default_base_job_configuration: the server does not know the ECS worker type');
  }
  return template;
}

export async function ensureWorkPool(prefect: PrefectClient, settings: PoolSettings): Promise<PoolOutcome> {
  const name = settings.workPoolName;
  const existing = await findPool(prefect, name);
  if (!existing) {
    const base_job_template = applyStackSettings(await defaultEcsTemplate(prefect), settings);
    try {
      const created = await expectData('/work_pools/', () =>
        prefect.POST('/work_pools/', { body: { name, type: 'ecs', base_job_template: base_job_template as unknown as Record<string, unknown> } }),
      );
      return { action: 'created', poolId: created?.id };
    } catch (error) {
      // A worker (or a person) created it between our read and our write: update it instead.
      if (!(error instanceof PrefectApiError && error.status === 409)) throw error;
      return ensureWorkPool(prefect, settings);
    }
  }
  if (existing.type !== 'ecs') throw new WorkPoolTypeError(name, existing.type);
  if (ownsMatch(existing.base_job_template, settings)) return { action: 'unchanged', poolId: existing.id };
  await expectData(`/work_pools/${name}`, () =>
    prefect.PATCH('/work_pools/{name}', {
      params: { path: { name } },
      body: { base_job_template: applyStackSettings(existing.base_job_template, settings) as unknown as Record<string, unknown> },
    }),
  );
  return { action: 'updated', poolId: existing.id };
}

/** Deletes the pool (and, in Prefect, its deployments); a pool already gone is fine. */
export async function deleteWorkPool(prefect: PrefectClient, name: string): Promise<'deleted' | 'absent'> {
  try {
    await expectData(`/work_pools/${name}`, () => prefect.DELETE('/work_pools/{name}', { params: { path: { name } } }));
    return 'deleted';
  } catch (error) {
    if (error instanceof PrefectApiError && error.status === 404) return 'absent';
    throw error;
  }
}
