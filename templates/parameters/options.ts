/**
 * Synth-time options of the worker stack. They become the defaults of the deploy-time
 * parameters, so a team can publish a template with its own defaults. Every option is
 * validated before anything is built; the error names the option, the value and what is allowed.
 */
import { watchedRepositories } from '../../lambdas/registrar/manifest/check';
import { readManifest } from '../../lambdas/registrar/manifest/fromYaml';
import { MIN_STUCK_PENDING_SECONDS, STUCK_ACTIONS } from '../../lambdas/scaler/config';
import { DEFAULT_WORKER_IMAGE, FARGATE_SIZES, LOG_RETENTION_DAYS } from '../core/constants';
import { InvalidOptionError } from '../core/errors';
import { PINNED_IMAGE_PATTERN, WORK_POOL_NAME_PATTERN, WORK_POOL_NAME_RULE } from './patterns';

/** An SSM advanced-tier parameter holds 8 KB (the stored manifest is Intelligent-Tiering: Standard up to 4 KB). */
export const MANIFEST_MAX_BYTES = 8192;
/** The registrar's role names each watched repository; the template has room for this many. */
export const MAX_WATCHED_REPOSITORIES = 10;
/**
 * Bounds of the worker counts. MinWorkers is one of 0..MAX_MIN_WORKERS so that a Rule can
 * check MinWorkers <= MaxWorkers value by value (Rules cannot compare numbers).
 */
export const MAX_MIN_WORKERS = 10;
export const MAX_MAX_WORKERS = 100;

export interface ScalingDefaults {
  /** Workers kept running when idle. @default 0 (scale to zero) */
  readonly minWorkers?: number;
  /** Upper bound of workers. @default 3 */
  readonly maxWorkers?: number;
  /**
   * Flow runs one worker submits at once (`prefect worker start --limit`). Since prefect-aws 0.6 a
   * running flow run holds no slot: only its submission (about 5 s) does. @default 10
   */
  readonly submissionsPerWorker?: number;
  /** How far ahead scheduled runs wake a worker, in seconds: worker start (~60 s) plus one tick. @default 120 */
  readonly lookaheadSeconds?: number;
  /** How long after the last run ended before scaling in, in seconds (the look-ahead already keeps workers for visible demand). @default 0 */
  readonly idleGraceSeconds?: number;
  /** A PENDING run with no ECS task this long is stuck (PrefectHQ/prefect#20485), in seconds. @default 600 */
  readonly stuckPendingSeconds?: number;
  /** What the scaler does with a stuck run: reschedule (back to SCHEDULED), crash, or off. @default "reschedule" */
  readonly stuckPendingAction?: 'reschedule' | 'crash' | 'off';
}

export interface WorkerStackOptions {
  /** Default work pool name. @default "ecs-pool" */
  readonly workPoolName?: string;
  /** Default worker image; must be pinned (a version tag or a digest, never `latest`). @default DEFAULT_WORKER_IMAGE */
  readonly workerImage?: string;
  /** Default worker task size as "cpu/memory". @default "512/1024" */
  readonly workerSize?: string;
  /** Default log retention in days. @default 30 */
  readonly logRetentionDays?: number;
  /** Defaults of the scaling settings. */
  readonly scaling?: ScalingDefaults;
  /**
   * A prefect.yaml with ecr_triggers, stored in the stack for the registrar (validated now).
   * @default none: the registrar reads the SSM parameter named at deploy time
   */
  readonly manifest?: { readonly file: string; readonly text: string };
}

export type ResolvedWorkerStackOptions = Required<Omit<WorkerStackOptions, 'scaling' | 'manifest'>> & {
  readonly scaling: Required<ScalingDefaults>;
  /**
   * The manifest stored in the stack: its file, its checked JSON form (what the SSM parameter
   * holds and the registrar reads), the repositories it watches and the work pool its deployments
   * name, if any (the template's Rule then holds WorkPoolName to it).
   */
  readonly manifest?: { readonly file: string; readonly json: string; readonly repositories: readonly string[]; readonly workPool?: string };
};

/** The manifest's checked stored form and what the stack takes from it. Throws ManifestError naming the file, the deployment and the field. */
function readStoredManifest(file: string, text: string) {
  // No pool to check against: WorkPoolName is a deploy-time parameter, so a Rule holds it to the manifest's pool.
  const { manifest, document } = readManifest(text, file);
  const pools = [...new Set(manifest.deployments.flatMap((d) => (d.workPool === undefined ? [] : [d.workPool])))];
  if (pools.length > 1) {
    throw new InvalidOptionError('manifest', file, `names the work pools ${pools.join(', ')}, but the stack's workers poll one (WorkPoolName): name one pool, or leave work_pool.name out`);
  }
  // The Lambda reads JSON: no YAML parser in its bundle (README "Libraries").
  const json = JSON.stringify(document);
  const bytes = Buffer.byteLength(json);
  if (bytes > MANIFEST_MAX_BYTES) {
    const each = Math.ceil(bytes / Math.max(1, manifest.deployments.length));
    throw new InvalidOptionError(
      'manifest',
      file,
      `must be at most ${MANIFEST_MAX_BYTES} bytes in its stored JSON form (an SSM Advanced parameter's limit; got ${bytes} bytes for ${manifest.deployments.length} deployments, about ${each} each, so about ${Math.floor(MANIFEST_MAX_BYTES / each)} fit): split the deployments over two stacks, or store the manifest yourself in chunks of fewer deployments`,
    );
  }
  const repositories = watchedRepositories(manifest);
  if (repositories.length > MAX_WATCHED_REPOSITORIES) {
    throw new InvalidOptionError('manifest', file, `may watch at most ${MAX_WATCHED_REPOSITORIES} repositories (got ${repositories.length})`);
  }
  return { file, json, repositories, workPool: pools[0] };
}

export function resolveWorkerStackOptions(options: WorkerStackOptions = {}): ResolvedWorkerStackOptions {
  const manifest = options.manifest ? readStoredManifest(options.manifest.file, options.manifest.text) : undefined;
  if (manifest?.workPool && options.workPoolName !== undefined && options.workPoolName !== manifest.workPool) {
    throw new InvalidOptionError('workPoolName', options.workPoolName, `differs from the work pool the manifest's deployments name ("${manifest.workPool}"), which the stack's Rule holds WorkPoolName to: give workPoolName ${manifest.workPool}, or change work_pool.name in ${manifest.file}`);
  }
  const resolved: ResolvedWorkerStackOptions = {
    // A manifest naming its pool makes it the default, so the default passes the Rule.
    workPoolName: options.workPoolName ?? manifest?.workPool ?? 'ecs-pool',
    workerImage: options.workerImage ?? DEFAULT_WORKER_IMAGE,
    workerSize: options.workerSize ?? '512/1024',
    logRetentionDays: options.logRetentionDays ?? 30,
    scaling: {
      minWorkers: options.scaling?.minWorkers ?? 0,
      maxWorkers: options.scaling?.maxWorkers ?? 3,
      submissionsPerWorker: options.scaling?.submissionsPerWorker ?? 10,
      lookaheadSeconds: options.scaling?.lookaheadSeconds ?? 120,
      idleGraceSeconds: options.scaling?.idleGraceSeconds ?? 0,
      stuckPendingSeconds: options.scaling?.stuckPendingSeconds ?? 600,
      stuckPendingAction: options.scaling?.stuckPendingAction ?? 'reschedule',
    },
    ...(manifest ? { manifest } : {}),
  };
  validate(resolved);
  return resolved;
}

function validate(o: ResolvedWorkerStackOptions): void {
  if (!new RegExp(WORK_POOL_NAME_PATTERN).test(o.workPoolName)) {
    throw new InvalidOptionError('workPoolName', o.workPoolName, `must be ${WORK_POOL_NAME_RULE}`);
  }
  if (!new RegExp(PINNED_IMAGE_PATTERN).test(o.workerImage)) {
    throw new InvalidOptionError('workerImage', o.workerImage, 'must be pinned to a version tag or a sha256 digest, not "latest" or untagged');
  }
  if (!FARGATE_SIZES.includes(o.workerSize)) {
    throw new InvalidOptionError('workerSize', o.workerSize, `must be a valid Fargate "cpu/memory" pair such as 256/512, 512/1024 or 1024/2048`);
  }
  if (!LOG_RETENTION_DAYS.includes(o.logRetentionDays)) {
    throw new InvalidOptionError('logRetentionDays', o.logRetentionDays, `must be one of ${LOG_RETENTION_DAYS.join('|')}`);
  }
  const s = o.scaling;
  requireInteger('scaling.minWorkers', s.minWorkers, 0, MAX_MIN_WORKERS);
  requireInteger('scaling.maxWorkers', s.maxWorkers, 1, MAX_MAX_WORKERS);
  requireInteger('scaling.submissionsPerWorker', s.submissionsPerWorker, 1, 100);
  requireInteger('scaling.lookaheadSeconds', s.lookaheadSeconds, 0, 86_400);
  requireInteger('scaling.idleGraceSeconds', s.idleGraceSeconds, 0, 86_400);
  requireInteger('scaling.stuckPendingSeconds', s.stuckPendingSeconds, MIN_STUCK_PENDING_SECONDS, 86_400);
  if (!STUCK_ACTIONS.includes(s.stuckPendingAction)) {
    throw new InvalidOptionError('scaling.stuckPendingAction', s.stuckPendingAction, `must be one of ${STUCK_ACTIONS.join('|')}`);
  }
  if (s.minWorkers > s.maxWorkers) {
    throw new InvalidOptionError('scaling.minWorkers', s.minWorkers, `must not exceed scaling.maxWorkers=${s.maxWorkers}`);
  }
}

function requireInteger(option: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new InvalidOptionError(option, value, `must be a whole number from ${min} to ${max}`);
  }
}
