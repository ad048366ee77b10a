/**
 * `npm run deploy` in a scratch copy of the project (build/ untouched): a flag given only to
 * synth is not silently dropped, and a missing SAM CLI is explained before anything runs. The
 * README's path (stack.config.yaml, then deploy) is test/integration/readme.test.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { recordSynthFlags } from '../../scripts/lib/config/lastSynth';
import { resolveStackOptions } from '../../scripts/lib/config/stackOptions';
import { scratchProject, type ScratchProject } from '../../scripts/lib/scratchProject';
import { fakeSam } from '../support/fakeSam';

let project: ScratchProject;

beforeAll(() => {
  project = scratchProject();
});

afterAll(() => project.remove());

describe('npm run deploy', () => {
  it('refuses to deploy without the --manifest the last synth was given, and says how to keep it', async () => {
    // What `npm run synth -- --manifest prefect.yaml` leaves in build/ (synth.ts records it the same way; a full synth takes minutes).
    const build = path.join(project.dir, 'build');
    fs.mkdirSync(build);
    recordSynthFlags(build, resolveStackOptions({ manifest: path.join(project.dir, 'prefect.yaml') }));
    const sam = fakeSam();
    const result = await project.npm('deploy', [], sam.env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('deploy: the last npm run synth used --manifest');
    expect(result.stderr).toContain('which this deploy would build without');
    expect(result.stderr).toMatch(/"manifest: .*prefect\.yaml" in stack\.config\.yaml/);
    expect(result.stdout).toBe('');
    expect(sam.calls()).toEqual([]);
  });

  it('says what to install when the SAM CLI is missing, before it runs anything', async () => {
    const result = await project.npm('deploy', ['--manifest', 'prefect.yaml'], fakeSam({ absent: true }).env);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('deploy: the AWS SAM CLI (`sam`) is not installed or not on PATH; nothing was synthesized or deployed.');
    expect(result.stderr).toContain('pip install aws-sam-cli');
  });
});
