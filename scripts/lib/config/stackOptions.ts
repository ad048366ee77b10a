/**
 * Synth-time options without writing TypeScript: read from the project's stack.config.yaml and
 * from flags (a flag wins over the file), by every command that synthesizes (synth, deploy,
 * publish), so the stack deployed or published is the one the user configured. One table below
 * declares each option once: its key in the file, its flag, its help text.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { InvalidOptionError } from '../../../templates/core/errors';
import { resolveWorkerStackOptions, type WorkerStackOptions } from '../../../templates/parameters/options';
import { readInputFile } from '../cli/files';
import type { Flag } from '../cli/flags';
import { StackConfigError } from '../errors';
import { closest } from './closest';

/** The project's synth options file, read when it exists (or named with --stack-config). */
export const STACK_CONFIG_FILE = 'stack.config.yaml';

interface OptionSpec {
  /** Path in WorkerStackOptions and in the file, e.g. scaling.maxWorkers. */
  readonly key: string;
  readonly flag: string;
  readonly kind: 'string' | 'integer' | 'file';
  readonly placeholder: string;
  readonly description: string;
}

export const STACK_OPTIONS: readonly OptionSpec[] = [
  { key: 'workPoolName', flag: 'work-pool-name', kind: 'string', placeholder: 'NAME', description: 'default of WorkPoolName' },
  { key: 'workerImage', flag: 'worker-image', kind: 'string', placeholder: 'IMAGE', description: 'default of WorkerImage (pinned: a version tag or a digest)' },
  { key: 'workerSize', flag: 'worker-size', kind: 'string', placeholder: 'CPU/MIB', description: 'default of WorkerSize, e.g. 1024/2048' },
  { key: 'logRetentionDays', flag: 'log-retention-days', kind: 'integer', placeholder: 'DAYS', description: 'default of LogRetentionDays' },
  { key: 'scaling.minWorkers', flag: 'min-workers', kind: 'integer', placeholder: 'N', description: 'default of MinWorkers' },
  { key: 'scaling.maxWorkers', flag: 'max-workers', kind: 'integer', placeholder: 'N', description: 'default of MaxWorkers' },
  { key: 'scaling.submissionsPerWorker', flag: 'submissions-per-worker', kind: 'integer', placeholder: 'N', description: 'default of SubmissionsPerWorker' },
  { key: 'scaling.lookaheadSeconds', flag: 'lookahead-seconds', kind: 'integer', placeholder: 'SECONDS', description: 'default of LookaheadSeconds' },
  { key: 'scaling.idleGraceSeconds', flag: 'idle-grace-seconds', kind: 'integer', placeholder: 'SECONDS', description: 'default of IdleGraceSeconds' },
  { key: 'scaling.stuckPendingSeconds', flag: 'stuck-pending-seconds', kind: 'integer', placeholder: 'SECONDS', description: 'default of StuckPendingSeconds' },
  { key: 'scaling.stuckPendingAction', flag: 'stuck-pending-action', kind: 'string', placeholder: 'ACTION', description: 'default of StuckPendingAction: reschedule, crash or off' },
  { key: 'manifest', flag: 'manifest', kind: 'file', placeholder: 'FILE', description: 'your prefect.yaml with ecr_triggers, validated and stored in the stack for the registrar' },
];

/** The flags of the options, plus --stack-config, for the commands that synthesize. */
export const STACK_OPTION_FLAGS = {
  'stack-config': { type: 'string', placeholder: 'FILE', description: `synth options file (default ${STACK_CONFIG_FILE}, when it exists)` },
  ...Object.fromEntries(STACK_OPTIONS.map((o) => [o.flag, { type: 'string', placeholder: o.placeholder, description: o.description } satisfies Flag])),
} as const satisfies Readonly<Record<string, Flag>>;

/** Where an option's value came from: a flag (`--max-workers`) or a file (`stack.config.yaml`). */
type Source = { readonly flag: string } | { readonly file: string };

export interface ResolvedStackOptions {
  readonly options: WorkerStackOptions;
  /** Option key -> value, the manifest as an absolute path: what a later command compares. */
  readonly values: Readonly<Record<string, string | number>>;
  /** Option key -> the flag that set it (options the file set are absent). */
  readonly fromFlags: Readonly<Record<string, string>>;
  /** The options file that was read, if any. */
  readonly configFile?: string;
}

function flatten(raw: unknown, file: string, prefix = ''): Record<string, unknown> {
  if (raw === null || raw === undefined) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new StackConfigError(`${file}: ${prefix || 'the file'} must be a mapping of options`);
  const flat: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    const full = prefix ? `${prefix}.${key}` : key;
    const isGroup = STACK_OPTIONS.some((o) => o.key.startsWith(`${full}.`));
    if (isGroup) Object.assign(flat, flatten(value, file, full));
    else flat[full] = value;
  }
  return flat;
}

function readConfigFile(file: string, what: string): Record<string, unknown> {
  const text = readInputFile(file, what);
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (error) {
    throw new StackConfigError(`${file}: is not valid YAML (${(error as Error).message.split('\n')[0]})`);
  }
  const flat = flatten(raw, file);
  const keys = STACK_OPTIONS.map((o) => o.key);
  for (const key of Object.keys(flat)) {
    if (keys.includes(key)) continue;
    const near = closest(key, keys);
    throw new StackConfigError(`${file}: unknown option ${key}${near ? ` (did you mean ${near}?)` : ''}; known: ${keys.join(', ')}`);
  }
  return flat;
}

function setPath(target: Record<string, unknown>, key: string, value: unknown): void {
  const parts = key.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) node = (node[part] ??= {}) as Record<string, unknown>;
  node[parts.at(-1)!] = value;
}

const describeSource = (source: Source) => ('flag' in source ? `--${source.flag}` : source.file);

/** Turns one raw value into an option value; the range checks are resolveWorkerStackOptions'. */
function convert(spec: OptionSpec, raw: unknown, source: Source, baseDir: string): { option: unknown; value: string | number } {
  if (spec.kind === 'integer') {
    // Flags arrive as text: "5" is 5; anything else goes on as text so the option's own message shows it.
    const value = 'flag' in source && typeof raw === 'string' && /^-?\d+$/.test(raw) ? Number(raw) : raw;
    return { option: value, value: value as number };
  }
  if (typeof raw !== 'string' || raw === '') {
    throw new StackConfigError(`${describeSource(source)}${'file' in source ? `: ${spec.key}` : ''} must be a non-empty string (got ${JSON.stringify(raw)})`);
  }
  if (spec.kind === 'string') return { option: raw, value: raw };
  const file = path.resolve(baseDir, raw);
  const shown = path.relative(process.cwd(), file) || file;
  const what = 'flag' in source ? `--${spec.flag}` : `${source.file}: ${spec.key}`;
  return { option: { file: shown, text: readInputFile(shown, what) }, value: file };
}

/** Reads the options file and the flags, validates the result with the builders' own checks. */
export function resolveStackOptions(flags: Readonly<Record<string, unknown>>): ResolvedStackOptions {
  const named = flags['stack-config'] as string | undefined;
  const configFile = named ?? (fs.existsSync(STACK_CONFIG_FILE) ? STACK_CONFIG_FILE : undefined);
  const fromFile = configFile ? readConfigFile(configFile, named ? '--stack-config' : configFile) : {};
  const options: Record<string, unknown> = {};
  const values: Record<string, string | number> = {};
  const fromFlags: Record<string, string> = {};
  const sources = new Map<string, Source>();
  for (const spec of STACK_OPTIONS) {
    const flagValue = flags[spec.flag];
    const source: Source | undefined = flagValue !== undefined ? { flag: spec.flag } : spec.key in fromFile ? { file: configFile! } : undefined;
    if (!source) continue;
    const baseDir = 'file' in source ? path.dirname(path.resolve(source.file)) : process.cwd();
    const { option, value } = convert(spec, flagValue ?? fromFile[spec.key], source, baseDir);
    setPath(options, spec.key, option);
    values[spec.key] = value;
    sources.set(spec.key, source);
    if ('flag' in source) fromFlags[spec.key] = spec.flag;
  }
  try {
    resolveWorkerStackOptions(options as WorkerStackOptions);
  } catch (error) {
    if (!(error instanceof InvalidOptionError)) throw error;
    const source = sources.get(error.option);
    if (!source) throw new StackConfigError(error.message, { cause: error });
    let message = 'flag' in source ? `--${source.flag}${error.message.slice(error.option.length)}` : `${source.file}: ${error.message}`;
    // Name the other options of the message the way the user gave them, too (scaling.maxWorkers -> --max-workers).
    for (const [key, other] of sources) if ('flag' in other && /[.A-Z]/.test(key)) message = message.split(key).join(`--${other.flag}`);
    throw new StackConfigError(message, { cause: error });
  }
  return { options: options as WorkerStackOptions, values, fromFlags, configFile };
}

/** The flags that reproduce these options on another command's command line. */
export const optionArguments = (flags: Readonly<Record<string, unknown>>): string[] =>
  Object.keys(STACK_OPTION_FLAGS)
    .filter((flag) => typeof flags[flag] === 'string')
    .map((flag) => `--${flag}=${flags[flag] as string}`);
