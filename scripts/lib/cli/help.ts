/** The usage line and the `--help` text of a command, both derived from its declaration. */
import { HELP_FLAG, USAGE_EXIT_MEANING, type Command, type Flag, type Flags } from './flags';

const spelled = (name: string, flag: Flag) => (flag.type === 'boolean' ? `--${name}` : `--${name} ${flag.placeholder ?? 'VALUE'}`);

/** `npm run publish -- --bucket-prefix PREFIX --regions LIST [options]` */
export function usageLine(command: Command<Flags>): string {
  const required = Object.entries(command.flags).filter(([, flag]) => flag.required);
  const optional = Object.values(command.flags).some((flag) => !flag.required);
  const parts = [`npm run ${command.name} --`, ...required.map(([name, flag]) => spelled(name, flag))];
  if (optional) parts.push('[options]');
  if (command.rest) parts.push(`[-- ${command.rest.placeholder}]`);
  return parts.join(' ');
}

export function helpText(command: Command<Flags>): string {
  const rows: [string, string][] = Object.entries(command.flags).map(([name, flag]) => [
    spelled(name, flag),
    `${flag.description}${flag.required ? ' (required)' : ''}${flag.multiple ? ' (repeatable)' : ''}`,
  ]);
  if (command.rest) rows.push([`-- ${command.rest.placeholder}`, command.rest.description]);
  rows.push(['-h, --help', HELP_FLAG.description]);
  const width = Math.max(...rows.map(([left]) => left.length)) + 2;
  return [
    `Usage: ${usageLine(command)}`,
    '',
    command.summary,
    '',
    'Options:',
    ...rows.map(([left, right]) => `  ${left.padEnd(width)}${right}`),
    '',
    'Exit status:',
    '  0  done',
    `  1  ${command.failure}`,
    `  2  ${USAGE_EXIT_MEANING}`,
  ].join('\n');
}
