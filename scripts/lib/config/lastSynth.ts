/**
 * Guards the path "npm run synth -- --manifest prefect.yaml, then npm run deploy": synth records
 * which options it took from flags, and deploy or publish refuse to build a stack without them
 * (the registrar would silently be off). Options from stack.config.yaml need no guard: every
 * command reads that file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { StackConfigError } from '../errors';
import { STACK_CONFIG_FILE, STACK_OPTIONS, type ResolvedStackOptions } from './stackOptions';

export const LAST_SYNTH_FILE = 'last-synth-flags.json';

interface Record {
  readonly fromFlags: Readonly<{ [key: string]: string | number }>;
}

export function recordSynthFlags(buildDir: string, resolved: ResolvedStackOptions): void {
  const fromFlags = Object.fromEntries(Object.keys(resolved.fromFlags).map((key) => [key, resolved.values[key]!]));
  fs.writeFileSync(path.join(buildDir, LAST_SYNTH_FILE), `${JSON.stringify({ fromFlags } satisfies Record, null, 2)}\n`);
}

/** Throws when the last synth had an option from a flag that this command would build without. */
export function checkAgainstLastSynth(buildDir: string, resolved: ResolvedStackOptions, command: string): void {
  let last: Record;
  try {
    last = JSON.parse(fs.readFileSync(path.join(buildDir, LAST_SYNTH_FILE), 'utf8')) as Record;
  } catch {
    return; // no synth yet, or an unreadable record: nothing to compare with
  }
  const lost = Object.entries(last.fromFlags ?? {}).filter(([key, value]) => resolved.values[key] !== value);
  if (lost.length === 0) return;
  const spell = (key: string, value: string | number) => {
    const spec = STACK_OPTIONS.find((o) => o.key === key)!;
    const shown = spec.kind === 'file' ? path.relative(process.cwd(), String(value)) || value : value;
    return { flag: `--${spec.flag} ${shown}`, yaml: `${key}: ${shown}` };
  };
  const spelled = lost.map(([key, value]) => spell(key, value));
  throw new StackConfigError(
    `the last npm run synth used ${spelled.map((s) => s.flag).join(' ')}, which this ${command} would build without: ` +
      `pass the same flag(s) to ${command}, or put ${spelled.map((s) => `"${s.yaml}"`).join(', ')} in ${STACK_CONFIG_FILE} (synth, deploy and publish read it), ` +
      'or run npm run synth without them first',
  );
}
