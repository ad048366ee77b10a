/** Command-line flags of the scripts: `--name value`, repeatable ones, and booleans. */
import { UsageError } from './errors';

export interface FlagSpec {
  readonly values?: readonly string[];
  readonly repeated?: readonly string[];
  readonly booleans?: readonly string[];
}

export interface ParsedFlags {
  readonly values: Readonly<Record<string, string>>;
  readonly lists: Readonly<Record<string, string[]>>;
  readonly booleans: ReadonlySet<string>;
}

export function parseFlags(argv: readonly string[], spec: FlagSpec): ParsedFlags {
  const values: Record<string, string> = {};
  const lists: Record<string, string[]> = Object.fromEntries((spec.repeated ?? []).map((name) => [name, []]));
  const booleans = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const name = arg.replace(/^--/, '');
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument ${JSON.stringify(arg)}`);
    if (spec.booleans?.includes(name)) {
      booleans.add(name);
      continue;
    }
    const takesValue = spec.values?.includes(name) || spec.repeated?.includes(name);
    if (!takesValue) throw new UsageError(`unknown flag ${arg}`);
    const value = argv[++i];
    if (value === undefined || value.startsWith('--')) throw new UsageError(`${arg} needs a value`);
    if (spec.repeated?.includes(name)) lists[name]!.push(value);
    else values[name] = value;
  }
  return { values, lists, booleans };
}

/** Runs a CLI main: usage errors print the usage and exit 2, other errors exit 1 with the message. */
export async function runCli(name: string, usage: string, main: () => Promise<number> | number): Promise<never> {
  try {
    process.exit(await main());
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`${name}: ${error.message}\nusage: ${usage}`);
      process.exit(2);
    }
    console.error(`${name}: ${(error as Error).message}`);
    process.exit(1);
  }
}
