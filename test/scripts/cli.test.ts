import { UsageError } from '../../scripts/lib/errors';
import { defineCommand, type Command, type Flags } from '../../scripts/lib/cli/flags';
import { helpText, usageLine } from '../../scripts/lib/cli/help';
import { describeError, parseCommandLine } from '../../scripts/lib/cli/runCommand';
import { InputFileError } from '../../scripts/lib/errors';

const command = defineCommand({
  name: 'demo',
  summary: 'Does a demo.',
  flags: {
    stack: { type: 'string', placeholder: 'NAME', required: true, description: 'the stack' },
    param: { type: 'string', placeholder: 'NAME=VALUE', multiple: true, description: 'a parameter' },
    json: { type: 'boolean', description: 'JSON output' },
  },
  failure: 'the demo failed',
  run: () => 0,
}) as unknown as Command<Flags>;
const withRest = { ...command, rest: { placeholder: 'ARGS', description: 'for the tool' } };

const parse = (argv: string[], c = command) => parseCommandLine(c, argv);
const usageErrorOf = (argv: string[], c = command) => {
  try {
    parse(argv, c);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error('expected a usage error');
};

describe('command-line parsing (util.parseArgs, strict)', () => {
  it('reads --flag value, --flag=value, repeated flags and booleans', () => {
    expect(parse(['--stack', 'worker', '--param=A=1', '--param', 'B=2', '--json']).values).toEqual({ stack: 'worker', param: ['A=1', 'B=2'], json: true });
    expect(parse(['--stack=worker']).values).toEqual({ stack: 'worker', param: [], json: false });
  });

  it.each<[string, string[], string]>([
    ['an unknown flag', ['--stack', 'w', '--nope'], 'unknown flag --nope'],
    ['a flag without its value', ['--stack'], '--stack needs a value'],
    ['a value that looks like a flag', ['--stack', '--json'], '--stack needs a value (write --stack=VALUE for one that starts with "-")'],
    ['a value given to a boolean', ['--stack', 'w', '--json=yes'], '--json takes no value'],
    ['a single-valued flag given twice', ['--stack', 'a', '--stack', 'b'], '--stack is given 2 times; give it once'],
    ['a missing required flag', ['--json'], '--stack is required'],
    ['a stray argument', ['--stack', 'w', 'extra'], 'unexpected argument "extra"'],
    ['arguments after -- for a command that takes none', ['--stack', 'w', '--', 'x'], 'takes no arguments after "--" (got x)'],
  ])('refuses %s with a one-line usage error', (_name, argv, message) => {
    expect(usageErrorOf(argv)).toBe(message);
  });

  it('passes what follows -- on to a command that takes it', () => {
    expect(parse(['--stack', 'w', '--', '--guided', 'x'], withRest).rest).toEqual(['--guided', 'x']);
  });

  it('answers --help (or -h) even when required flags are missing', () => {
    expect(parse(['--help']).help).toBe(true);
    expect(parse(['-h', 'stray']).help).toBe(true);
  });
});

describe('help and usage', () => {
  it('derive the usage line from the flags', () => {
    expect(usageLine(command)).toBe('npm run demo -- --stack NAME [options]');
    expect(usageLine(withRest)).toBe('npm run demo -- --stack NAME [options] [-- ARGS]');
  });

  it('list every flag, --help and the exit statuses', () => {
    const help = helpText(withRest);
    expect(help).toMatch(/^Usage: npm run demo -- --stack NAME \[options\] \[-- ARGS\]\n\nDoes a demo\.\n/);
    for (const line of ['--stack NAME', 'the stack (required)', '--param NAME=VALUE', 'a parameter (repeatable)', '--json', '-- ARGS', '-h, --help', '  0  done', '  1  the demo failed', '  2  the command line does not parse']) {
      expect(help).toContain(line);
    }
  });
});

describe('error lines', () => {
  it('name the path of a file-system error instead of its code, on one line', () => {
    const eisdir = Object.assign(new Error('EISDIR: illegal operation on a directory, read'), { code: 'EISDIR', path: 'flows/' });
    expect(describeError(eisdir)).toBe('flows/: is a directory, not a file');
    const enoent = Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT', path: 'x.yaml' });
    expect(describeError(enoent)).toBe('x.yaml: does not exist');
  });

  it('keep our messages and fold any line breaks', () => {
    expect(describeError(new InputFileError('--manifest', 'p.yaml', 'does not exist'))).toBe('--manifest p.yaml does not exist');
    expect(describeError(new TypeError('first\n  second'))).toBe('TypeError: first; second');
  });
});
