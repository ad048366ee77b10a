/**
 * A stand-in for the SAM CLI on PATH: answers `sam --version` and records the arguments of
 * every other call, so a test sees what `npm run deploy` would ask SAM to do. PATH loses any
 * real `sam`; nothing is deployed anywhere.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface FakeSam {
  /** The environment whose PATH finds the stand-in (or, with absent, finds no sam at all). */
  readonly env: NodeJS.ProcessEnv;
  /** The argument lines of the calls so far. */
  calls(): string[];
}

const withoutSam = (dirs: string[]) => dirs.filter((dir) => dir && !fs.existsSync(path.join(dir, 'sam')));

export function fakeSam(options: { absent?: boolean } = {}): FakeSam {
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'pes-sam-'));
  const record = path.join(bin, 'calls.txt');
  if (!options.absent) {
    fs.writeFileSync(path.join(bin, 'sam'), `#!/bin/sh\n[ "$1" = "--version" ] && { echo "SAM CLI, version 1.150.0"; exit 0; }\necho "$@" >> ${record}\n`, { mode: 0o755 });
  }
  const PATH = [bin, ...withoutSam((process.env.PATH ?? '').split(path.delimiter))].join(path.delimiter);
  return {
    env: { ...process.env, PATH },
    calls: () => (fs.existsSync(record) ? fs.readFileSync(record, 'utf8').trim().split('\n') : []),
  };
}
