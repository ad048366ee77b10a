/**
 * Runs a declared command: parse (Node's `util.parseArgs`, strict), `--help`, then the command,
 * and turn every failure into one line on stderr and an exit status:
 *   0 done; 1 the command refused its input or failed (the line says why); 2 the command line is
 *   wrong (the line, then the usage).
 * No stack trace reaches the user: an error names the flag, the file or the value instead.
 */
import { parseArgs } from 'node:util';
import { PrefectEcsStackError } from '../../../lambdas/common/PrefectEcsStackError';
import { UsageError } from '../errors';
import { type Command, type FlagValues, type Flags } from './flags';
import { helpText, usageLine } from './help';

interface Parsed {
  readonly values: Record<string, unknown>;
  readonly rest: string[];
  readonly help: boolean;
}

/** Node's parseArgs messages are long and name `--x <value>`; ours name the flag and the fix. */
function usageErrorFrom(error: { code?: string; message: string }): UsageError {
  const flag = /'(-{1,2}[^' ]+)/.exec(error.message)?.[1] ?? 'a flag';
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return new UsageError(`unknown flag ${flag}`);
  if (/does not take an argument/.test(error.message)) return new UsageError(`${flag} takes no value`);
  if (/ambiguous/.test(error.message)) return new UsageError(`${flag} needs a value (write ${flag}=VALUE for one that starts with "-")`);
  if (/argument missing/.test(error.message)) return new UsageError(`${flag} needs a value`);
  return new UsageError(error.message.split('\n')[0]!);
}

/** "--a", "--a and --b", "--a, --b and --c" */
const listed = (names: readonly string[]) => (names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : names[0]!);

export function parseCommandLine(command: Command<Flags>, argv: readonly string[]): Parsed {
  const options = Object.fromEntries(
    Object.entries(command.flags).map(([name, flag]) => [name, { type: flag.type, multiple: flag.multiple ?? false }]),
  );
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: { ...options, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: true, tokens: true });
  } catch (error) {
    throw usageErrorFrom(error as { code?: string; message: string });
  }
  const parsedValues = parsed.values as Record<string, unknown>;
  const help = parsedValues.help === true;
  const terminator = parsed.tokens.find((token) => token.kind === 'option-terminator')?.index ?? argv.length;
  const stray = parsed.tokens.find((token) => token.kind === 'positional' && token.index < terminator);
  if (stray && !help) throw new UsageError(`unexpected argument ${JSON.stringify(argv[stray.index])}`);
  const rest = argv.slice(terminator + 1);
  if (rest.length > 0 && !command.rest && !help) throw new UsageError(`takes no arguments after "--" (got ${rest.join(' ')})`);
  const counts = new Map<string, number>();
  for (const token of parsed.tokens) if (token.kind === 'option') counts.set(token.name, (counts.get(token.name) ?? 0) + 1);
  for (const [name, count] of counts) {
    if (count > 1 && !command.flags[name]?.multiple && name !== 'help') throw new UsageError(`--${name} is given ${count} times; give it once`);
  }
  if (!help) {
    const missing = Object.entries(command.flags).filter(([name, flag]) => flag.required && parsedValues[name] === undefined);
    if (missing.length > 0) throw new UsageError(`${listed(missing.map(([name]) => `--${name}`))} ${missing.length > 1 ? 'are' : 'is'} required`);
  }
  const values: Record<string, unknown> = {};
  for (const [name, flag] of Object.entries(command.flags)) {
    const value = parsedValues[name];
    values[name] = flag.type === 'boolean' ? value === true : flag.multiple ? (value ?? []) : value;
  }
  return { values, rest, help };
}

const ERRNO_TEXT: Record<string, string> = {
  ENOENT: 'does not exist',
  EISDIR: 'is a directory, not a file',
  ENOTDIR: 'a part of the path is not a directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
};

/** One line: our errors as they are, file-system errors as "<path>: <what>", anything else by its message. */
export function describeError(error: unknown): string {
  const errno = error as NodeJS.ErrnoException;
  let text: string;
  if (error instanceof PrefectEcsStackError) text = error.message;
  else if (errno?.code && errno.path && ERRNO_TEXT[errno.code]) text = `${errno.path}: ${ERRNO_TEXT[errno.code]}`;
  else if (error instanceof Error) text = `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}`;
  else text = String(error);
  return text.replace(/\s*\n\s*/g, '; ');
}

/** Parses, runs and exits; never returns. */
export async function runCommand<F extends Flags>(command: Command<F>, argv: readonly string[] = process.argv.slice(2)): Promise<never> {
  try {
    const { values, rest, help } = parseCommandLine(command as unknown as Command<Flags>, argv);
    if (help) {
      process.stdout.write(`${helpText(command as unknown as Command<Flags>)}\n`);
      return process.exit(0);
    }
    const code = await command.run(values as FlagValues<F>, rest);
    return process.exit(code ?? 0);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${command.name}: ${error.message}\nusage: ${usageLine(command as unknown as Command<Flags>)}  (--help lists every flag)\n`);
      return process.exit(2);
    }
    process.stderr.write(`${command.name}: ${describeError(error)}\n`);
    return process.exit(1);
  }
}
