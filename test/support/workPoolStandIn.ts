/** Work pool routes on the Prefect stand-in: an in-memory pool store with the server's semantics. */
import ecsDefault from '../fixtures/prefect/ecs-default-base-job-template.json';
import type { PrefectStandIn } from './prefectStandIn';

export interface StoredPool {
  id: string;
  name: string;
  type: string;
  base_job_template: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export function addWorkPoolRoutes(standIn: PrefectStandIn): Map<string, StoredPool> {
  const pools = new Map<string, StoredPool>();
  let seq = 0;
  standIn.on('GET', '/collections/views/{view}', (_r, { view }) =>
    view === 'aggregate-worker-metadata'
      ? { status: 200, body: { 'prefect-aws': { ecs: { type: 'ecs', default_base_job_configuration: structuredClone(ecsDefault) } } } }
      : { status: 404, body: { detail: 'no such view' } },
  );
  standIn.on('GET', '/work_pools/{name}', (_r, { name }) => {
    const pool = pools.get(name!);
    return pool ? { status: 200, body: { ...pool, created: null, updated: null } } : { status: 404, body: { detail: 'Work pool not found.' } };
  });
  standIn.on('POST', '/work_pools/', (request) => {
    const body = request.body as StoredPool;
    if (pools.has(body.name)) return { status: 409, body: { detail: 'A work pool with this name already exists.' } };
    const pool = { id: `00000000-0000-4000-8000-${String(++seq).padStart(12, '0')}`, name: body.name, type: body.type, base_job_template: body.base_job_template };
    pools.set(pool.name, pool);
    return { status: 201, body: { ...pool, created: null, updated: null } };
  });
  standIn.on('PATCH', '/work_pools/{name}', (request, { name }) => {
    const pool = pools.get(name!);
    if (!pool) return { status: 404, body: { detail: 'Work pool not found.' } };
    Object.assign(pool, request.body);
    return { status: 204 };
  });
  standIn.on('DELETE', '/work_pools/{name}', (_r, { name }) => (pools.delete(name!) ? { status: 204 } : { status: 404, body: { detail: 'Work pool not found.' } }));
  return pools;
}
