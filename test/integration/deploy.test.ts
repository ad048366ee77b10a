import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { runScript, type RunResult } from '../support/runNode';

async function deploy(args: string[], pathPrefix?: string): Promise<RunResult> {
  const PATH = [pathPrefix, ...(process.env.PATH ?? '').split(':').filter((dir) => !fs.existsSync(path.join(dir, 'sam')))]
    .filter(Boolean)
    .join(':');
  // The main job runs every validator (AWS CloudFormation Validate under the parameter matrix included).
  return runScript('scripts/deploy.ts', args, { ...process.env, PATH }, SYNTH_TIMEOUT_MS);
}

const SYNTH_TIMEOUT_MS = 300_000;

describe('npm run deploy', () => {
  it('runs the main job, then says what to install when the SAM CLI is missing', async () => {
    const result = await deploy([]);
    expect(result.stdout).toContain('OK: ');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('the AWS SAM CLI (`sam`) is not installed');
    expect(result.stderr).toContain('pip install aws-sam-cli');
  }, SYNTH_TIMEOUT_MS);

  it('hands its arguments to sam deploy when the SAM CLI is there', async () => {
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'pes-sam-'));
    const record = path.join(bin, 'args.txt');
    fs.writeFileSync(path.join(bin, 'sam'), `#!/bin/sh\n[ "$1" = "--version" ] && { echo "SAM CLI, version 1.150.0"; exit 0; }\necho "$@" > ${record}\n`, { mode: 0o755 });
    const result = await deploy(['--config-env', 'prod'], bin);
    expect(result.code).toBe(0);
    expect(fs.readFileSync(record, 'utf8').trim()).toBe('deploy --config-env prod');
  }, SYNTH_TIMEOUT_MS);
});
