import { runScript } from '../support/runNode';
const DIGEST = `sha256:${'ab'.repeat(32)}`;

const preview = (args: string[]) => runScript('scripts/preview-registration.ts', args);

describe('npm run preview-registration', () => {
  it('prints what a push would register as JSON, with no network', async () => {
    const { code, stdout } = await preview(['--manifest', 'test/fixtures/manifests/prefect.yaml', '--repo', 'flows/reports', '--tag', 'release-3', '--digest', DIGEST, '--account', '210987654321', '--region', 'cn-north-1', '--json']);
    expect(code).toBe(0);
    const image = `210987654321.dkr.ecr.cn-north-1.amazonaws.com.cn/flows/reports@${DIGEST}`;
    expect(JSON.parse(stdout)).toEqual({
      deployments: [
        {
          flow: 'weekly-report',
          name: 'report',
          image,
          version: 'release-3-abababababab',
          workPool: 'ecs-pool',
          workQueue: null,
          jobVariables: { image },
          pullSteps: [{ 'prefect.deployments.steps.set_working_directory': { directory: '/opt/prefect/reports' } }],
          schedules: [{ interval: 604800 }],
        },
      ],
    });
  });

  it('prints an empty list when nothing matches', async () => {
    const { stdout } = await preview(['--manifest', 'test/fixtures/manifests/prefect.yaml', '--repo', 'flows/etl', '--tag', 'feature', '--digest', DIGEST, '--json']);
    expect(JSON.parse(stdout)).toEqual({ deployments: [] });
  });

  it('names what is wrong with the input', async () => {
    expect((await preview(['--manifest', 'x.yaml', '--repo', 'r', '--tag', 't', '--digest', 'sha256:123'])).stderr).toContain('--digest must be sha256: and 64 hex characters');
    expect((await preview(['--repo', 'r'])).stderr).toContain('--manifest, --repo, --tag and --digest are required');
  });
});
