/**
 * `npm run deploy` in a scratch copy of the project (build/ untouched): a flag given only to
 * synth is not silently dropped, and a missing SAM CLI is explained before anything runs. The
 * README's path (stack.config.yaml, then deploy) is test/integration/readme.test.ts.
 */
import { scratchProject, type ScratchProject } from '../../scripts/lib/scratchProject';
import { fakeSam } from '../support/fakeSam';

let project: ScratchProject;
/** The main job runs every validator (AWS CloudFormation Validate under the parameter matrix included). */
const SYNTH_TIMEOUT_MS = 300_000;

beforeAll(() => {
  project = scratchProject();
});

afterAll(() => project.remove());

describe('npm run deploy', () => {
  it('refuses to deploy without the --manifest the last synth was given, and says how to keep it', async () => {
    expect((await project.npm('synth', ['--manifest', 'prefect.yaml'])).code).toBe(0);
    const sam = fakeSam();
    const result = await project.npm('deploy', [], sam.env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('deploy: the last npm run synth used --manifest prefect.yaml, which this deploy would build without');
    expect(result.stderr).toContain('"manifest: prefect.yaml" in stack.config.yaml');
    expect(sam.calls()).toEqual([]);
  }, SYNTH_TIMEOUT_MS);

  it('says what to install when the SAM CLI is missing, before it runs anything', async () => {
    const result = await project.npm('deploy', ['--manifest', 'prefect.yaml'], fakeSam({ absent: true }).env);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('deploy: the AWS SAM CLI (`sam`) is not installed or not on PATH; nothing was synthesized or deployed.');
    expect(result.stderr).toContain('pip install aws-sam-cli');
  });
});
