import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { manifestFromParameter } from '../../lambdas/registrar/manifestSource';
import { runScript } from '../support/runNode';

const DIGEST = `sha256:${'ab'.repeat(32)}`;
const FIXTURE = 'test/fixtures/manifests/prefect.yaml';

const preview = (args: string[]) => runScript('scripts/preview-registration.ts', args);

/** A manifest variant in a temporary directory, removed after the test. */
function variant(from: string, to: string): { file: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pes-preview-'));
  const file = path.join(dir, 'prefect.yaml');
  fs.writeFileSync(file, fs.readFileSync(FIXTURE, 'utf8').replace(from, to));
  return { file, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

describe('npm run preview-registration', () => {
  it('prints what a push would register as JSON, with no network: the body, paused, where the image comes from', async () => {
    const { code, stdout } = await preview(['--manifest', FIXTURE, '--repo', 'flows/reports', '--tag', 'release-3', '--digest', DIGEST, '--account', '210987654321', '--region', 'cn-north-1', '--json']);
    expect(code).toBe(0);
    const image = `210987654321.dkr.ecr.cn-north-1.amazonaws.com.cn/flows/reports@${DIGEST}`;
    const out = JSON.parse(stdout);
    expect(out.deployments).toEqual([
      {
        flow: 'weekly-report',
        name: 'report',
        image,
        imageSource: 'job_variables.image "{{ build_image.image }}"',
        paused: 'kept as it is in Prefect (false for a new deployment)',
        body: {
          name: 'report',
          entrypoint: 'flows/report.py:build',
          work_pool_name: 'ecs-pool',
          job_variables: { image },
          pull_steps: [{ 'prefect.deployments.steps.set_working_directory': { directory: '/opt/prefect/reports' } }],
          version: 'release-3-abababababab',
          description: null,
          tags: [],
          parameters: {},
          schedules: [{ schedule: { interval: 604800 } }],
        },
        resolvedAtRegistration: [],
        resolvedAtRunTime: [],
      },
    ]);
    // The JSON form it prints is what the Lambda reads from the SSM parameter.
    expect(manifestFromParameter(JSON.stringify(out.manifest), 'ssm:/m', { workPool: 'ecs-pool' }).deployments.map((d) => d.name)).toEqual(['etl-daily', 'etl-backfill', 'report']);
  });

  it('shows paused as the manifest sets it', async () => {
    const { stdout } = await preview(['--manifest', FIXTURE, '--repo', 'flows/etl', '--tag', 'v1.0.0', '--digest', DIGEST]);
    expect(stdout).toMatch(/run-etl\/etl-backfill {2}version v1\.0\.0-abababababab\n.*\n.*\n {4}paused {6}true/);
    expect(stdout).toMatch(/run-etl\/etl-daily[\s\S]*paused {6}kept as it is in Prefect/);
  });

  it('lists values a variable or block gives at registration instead of reporting them as problems', async () => {
    const { file, cleanup } = variant(
      '    tags: [etl, nightly]\n    parameters:\n      full_refresh: false\n    schedules:\n      - cron: "0 2 * * *"\n        timezone: Europe/Berlin\n',
      "    tags: '{{ prefect.variables.etl_tags }}'\n    parameters:\n      full_refresh: false\n    schedules:\n      - cron: \"0 2 * * *\"\n        timezone: Europe/Berlin\n        active: '{{ prefect.variables.nightly_on }}'\n",
    );
    try {
      const { code, stdout } = await preview(['--manifest', file, '--repo', 'flows/etl', '--tag', 'v1.0.0', '--digest', DIGEST, '--json']);
      const daily = JSON.parse(stdout).deployments[0];
      expect([code, daily.problem]).toEqual([0, undefined]);
      expect(daily.resolvedAtRegistration).toEqual(['tags', 'schedules[0].active']);
      expect(daily.body.tags).toBe('{{ prefect.variables.etl_tags }}');
    } finally {
      cleanup();
    }
  });

  it('prints an empty list when nothing matches', async () => {
    const { stdout } = await preview(['--manifest', FIXTURE, '--repo', 'flows/etl', '--tag', 'feature', '--digest', DIGEST, '--json']);
    expect(JSON.parse(stdout).deployments).toEqual([]);
  });

  it.each<[string, string, string, string]>([
    ['an environment placeholder', '    description: Nightly load into the warehouse', "    description: '{{ $GIT_SHA }}'", 'deployment "etl-daily".description has {{ $GIT_SHA }}: environment placeholders cannot be resolved in the stack'],
    ['a literal image', "        image: '{{ build_image.image }}'\n        cpu", '        image: flows/etl:v1\n        cpu', 'deployment "etl-daily": work_pool.job_variables.image is "flows/etl:v1"; a deployment the registrar registers runs the pushed image'],
  ])('refuses %s, naming the file, the deployment and the field', async (_name, from, to, message) => {
    const { file, cleanup } = variant(from, to);
    try {
      const { code, stderr } = await preview(['--manifest', file, '--repo', 'flows/etl', '--tag', 'v1.0.0', '--digest', DIGEST]);
      expect(code).toBe(1);
      expect(stderr).toContain(`${file}: `);
      expect(stderr).toContain(message);
    } finally {
      cleanup();
    }
  });

  it('names what is wrong with the input', async () => {
    expect((await preview(['--manifest', 'x.yaml', '--repo', 'r', '--tag', 't', '--digest', 'sha256:123'])).stderr).toContain('--digest must be sha256: and 64 hex characters');
    expect((await preview(['--repo', 'r'])).stderr).toContain('--manifest, --tag and --digest are required');
  });
});
