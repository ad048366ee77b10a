/**
 * How a command declares its flags, and the typed values it gets back. The declarations drive
 * Node's own `util.parseArgs` (no hand-written parser: `--flag=value`, `--flag value`, repeated
 * flags and the `--` terminator behave as Node documents them), the help text and the README's
 * command reference, so the three never disagree.
 */

export interface Flag {
  readonly type: 'string' | 'boolean';
  /** One-line description for `--help`. */
  readonly description: string;
  /** The value's placeholder in the help, e.g. FILE. @default "VALUE" */
  readonly placeholder?: string;
  /** The flag may be given several times and yields a list. @default false */
  readonly multiple?: boolean;
  /** The command refuses to run without it (exit 2). @default false */
  readonly required?: boolean;
}

export type Flags = Readonly<Record<string, Flag>>;

type ValueOf<F extends Flag> = F['type'] extends 'boolean'
  ? boolean
  : F['multiple'] extends true
    ? readonly string[]
    : F['required'] extends true
      ? string
      : string | undefined;

export type FlagValues<F extends Flags> = { readonly [K in keyof F]: ValueOf<F[K]> };

export interface Command<F extends Flags> {
  /** The npm script that runs it: `npm run <name>`. */
  readonly name: string;
  /** What the command does, for `--help` (one or a few sentences). */
  readonly summary: string;
  readonly flags: F;
  /** Arguments after `--` and what they are for; without it the command takes none. */
  readonly rest?: { readonly placeholder: string; readonly description: string };
  /** What exit status 1 means for this command; 0 and 2 mean the same for every command. */
  readonly failure: string;
  readonly run: (flags: FlagValues<F>, rest: readonly string[]) => Promise<number | void> | number | void;
}

/** Declares a command with its flag types inferred from the declaration. */
export const defineCommand = <const F extends Flags>(command: Command<F>): Command<F> => command;

export const HELP_FLAG: Flag = { type: 'boolean', description: 'print this help and exit' };
export const USAGE_EXIT_MEANING = 'the command line does not parse (an unknown flag, a flag without its value or given twice, a missing required flag, a stray argument): the error and the usage on stderr';
