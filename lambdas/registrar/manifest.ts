/**
 * The registrar's manifest: the user's own prefect.yaml (its `deployments:` and `pull:`) plus
 * our `ecr_triggers:` key. Parsed and checked against Prefect's prefect.yaml schema and our
 * rules, into plain data; every error names the file, the deployment and the field.
 */
import { parse } from 'yaml';
import { ManifestError } from './errors';
// Prefect's prefect.yaml schema, compiled ahead of time (scripts/gen-manifest-validator.ts).
import validatePrefectYaml from './generated/prefectYamlValidator';

const validateSchema = validatePrefectYaml as ((data: unknown) => boolean) & { errors?: { instancePath: string; message?: string }[] | null };

export type PullStep = Record<string, unknown>;

export interface ManifestDeployment {
  readonly name: string;
  readonly flowName: string;
  readonly entrypoint: string;
  readonly description?: string;
  readonly tags: readonly string[];
  readonly parameters: Record<string, unknown>;
  readonly schedules: readonly Record<string, unknown>[];
  readonly concurrencyLimit?: number;
  readonly workPool?: string;
  readonly workQueue?: string;
  readonly jobVariables: Record<string, unknown>;
  /** As written; undefined means "leave a person's pause alone". */
  readonly paused?: boolean;
  readonly enforceParameterSchema?: boolean;
  readonly pullSteps: readonly PullStep[];
}

export interface EcrTrigger {
  readonly repository: string;
  readonly tags: readonly string[];
  /** Names from deployments:, or all of them. */
  readonly deployments: readonly string[];
}

export interface Manifest {
  readonly deployments: readonly ManifestDeployment[];
  readonly triggers: readonly EcrTrigger[];
}

/** `{{ build_image.image }}` or any `{{ <step>.image }}`: the pushed image. */
export const PUSHED_IMAGE_PLACEHOLDER = /^\{\{\s*[A-Za-z_][\w-]*\.image\s*\}\}$/;
const ANY_PLACEHOLDER = /\{\{[^}]*\}\}/;
const REPOSITORY = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;


/** Prefect's flow name for `path/file.py:my_flow`: the function name with underscores as hyphens. */
export function flowNameFromEntrypoint(entrypoint: string): string {
  const fn = entrypoint.slice(entrypoint.lastIndexOf(':') + 1);
  return fn.replace(/_/g, '-');
}

const asList = <T>(value: T | T[] | null | undefined): T[] => (value == null ? [] : Array.isArray(value) ? value : [value]);

/** Every string inside a value, with its path. */
function strings(value: unknown, path: string, into: [string, string][] = []): [string, string][] {
  if (typeof value === 'string') into.push([path, value]);
  else if (Array.isArray(value)) value.forEach((item, i) => strings(item, `${path}[${i}]`, into));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) strings(v, path ? `${path}.${k}` : k, into);
  return into;
}

export function parseManifest(text: string, file = 'prefect.yaml'): Manifest {
  let raw: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  try {
    raw = parse(text) ?? {};
  } catch (error) {
    throw new ManifestError(file, [`is not valid YAML (${(error as Error).message.split('\n')[0]})`]);
  }
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new ManifestError(file, ['must be a YAML mapping with deployments: and ecr_triggers:']);
  const problems: string[] = [];
  const candidate: unknown = raw;
  if (!validateSchema(candidate)) {
    for (const e of validateSchema.errors ?? []) {
      const at = e.instancePath.replace(/^\/deployments\/(\d+)/, (_m, i) => `deployment "${raw.deployments?.[i]?.name ?? `#${Number(i) + 1}`}"`);
      problems.push(`${at || 'top level'}: ${e.message} (prefect.yaml schema)`);
    }
    throw new ManifestError(file, [...new Set(problems)].slice(0, 10));
  }
  const topPull = asList(raw.pull) as PullStep[];
  const seen = new Set<string>();
  const deployments: ManifestDeployment[] = asList(raw.deployments).map((d: Record<string, any>, i: number) => { // eslint-disable-line @typescript-eslint/no-explicit-any
    const label = `deployment "${d.name ?? `#${i + 1}`}"`;
    if (!d.name) problems.push(`${label}: name is required`);
    else if (seen.has(d.name)) problems.push(`${label}: name is used twice`);
    seen.add(d.name);
    if (!d.entrypoint || !/^[^:]+:[A-Za-z_]\w*$/.test(d.entrypoint)) problems.push(`${label}: entrypoint must look like "path/to/file.py:flow_function" (got ${JSON.stringify(d.entrypoint ?? null)})`);
    const jobVariables = { ...(d.work_pool?.job_variables ?? {}) } as Record<string, unknown>;
    for (const [path, value] of strings(d, '')) {
      if (!ANY_PLACEHOLDER.test(value)) continue;
      if (path === 'work_pool.job_variables.image' && PUSHED_IMAGE_PLACEHOLDER.test(value)) continue;
      problems.push(`${label}: ${path} has the placeholder ${JSON.stringify(value)}, which nothing resolves here (only job_variables.image: '{{ <step>.image }}' means the pushed image)`);
    }
    return {
      name: d.name,
      flowName: d.flow_name ?? flowNameFromEntrypoint(d.entrypoint ?? ''),
      entrypoint: d.entrypoint,
      description: d.description ?? undefined,
      tags: asList(d.tags),
      parameters: d.parameters ?? {},
      schedules: [...asList(d.schedule), ...asList(d.schedules)],
      concurrencyLimit: typeof d.concurrency_limit === 'object' && d.concurrency_limit ? d.concurrency_limit.limit : d.concurrency_limit ?? undefined,
      workPool: d.work_pool?.name ?? undefined,
      workQueue: d.work_pool?.work_queue_name ?? undefined,
      jobVariables,
      paused: d.paused ?? undefined,
      enforceParameterSchema: d.enforce_parameter_schema ?? undefined,
      pullSteps: d.pull ? (asList(d.pull) as PullStep[]) : topPull,
    };
  });
  const names = deployments.map((d) => d.name);
  const triggers: EcrTrigger[] = asList(raw.ecr_triggers).map((t: Record<string, unknown>, i: number) => { // eslint-disable-line @typescript-eslint/no-explicit-any
    const label = `ecr_triggers[${i}]`;
    if (typeof t !== 'object' || t === null) {
      problems.push(`${label}: must be a mapping with repository, tags and (optionally) deployments`);
      return { repository: '', tags: [], deployments: [] };
    }
    if (typeof t.repository !== 'string' || !REPOSITORY.test(t.repository)) problems.push(`${label}.repository must be an ECR repository name (got ${JSON.stringify(t.repository ?? null)})`);
    const tags = asList(t.tags as string[]);
    if (tags.length === 0 || tags.some((g) => typeof g !== 'string' || !g)) problems.push(`${label}.tags must be a non-empty list of tag patterns such as "v*"`);
    const chosen = t.deployments === undefined ? names : asList(t.deployments as string[]);
    for (const name of chosen) if (!names.includes(name)) problems.push(`${label}.deployments names "${name}", which is not in deployments:`);
    return { repository: t.repository as string, tags, deployments: chosen };
  });
  if (triggers.length === 0) problems.push('ecr_triggers: at least one trigger is needed (repository, tags, deployments)');
  if (problems.length > 0) throw new ManifestError(file, problems);
  return { deployments, triggers };
}

/** Glob match of an image tag: `*` any run, `?` one character; everything else literal. */
export function tagMatches(pattern: string, tag: string): boolean {
  const regex = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${regex}$`).test(tag);
}

export const watchedRepositories = (manifest: Manifest): string[] => [...new Set(manifest.triggers.map((t) => t.repository))].sort();
