import fs from 'node:fs';
import { ManifestError } from '../../../lambdas/registrar/errors';
import { flowNameFromEntrypoint, parseManifest, tagMatches, watchedRepositories } from '../../../lambdas/registrar/manifest';

const FIXTURE = 'test/fixtures/manifests/prefect.yaml';
const text = fs.readFileSync(FIXTURE, 'utf8');

describe('registrar manifest', () => {
  const manifest = parseManifest(text, FIXTURE);

  it('reads deployments and ecr_triggers from a prefect.yaml, ignoring build and push', () => {
    expect(manifest.deployments.map((d) => d.name)).toEqual(['etl-daily', 'etl-backfill', 'report']);
    expect(manifest.triggers).toEqual([
      { repository: 'flows/etl', tags: ['v*', 'main'], deployments: ['etl-daily', 'etl-backfill'] },
      { repository: 'flows/reports', tags: ['release-*'], deployments: ['report'] },
    ]);
    expect(watchedRepositories(manifest)).toEqual(['flows/etl', 'flows/reports']);
  });

  it('names flows from flow_name or from the entrypoint function, underscores as hyphens', () => {
    expect(manifest.deployments.map((d) => d.flowName)).toEqual(['run-etl', 'run-etl', 'weekly-report']);
    expect(flowNameFromEntrypoint('a/b.py:my_big_flow')).toBe('my-big-flow');
  });

  it('lets a deployment pull: override the top-level pull:', () => {
    expect(manifest.deployments[0]!.pullSteps).toEqual([{ 'prefect.deployments.steps.set_working_directory': { directory: '/opt/prefect/flows' } }]);
    expect(manifest.deployments[2]!.pullSteps).toEqual([{ 'prefect.deployments.steps.set_working_directory': { directory: '/opt/prefect/reports' } }]);
  });

  it('keeps the manifest fields: schedules, tags, parameters, concurrency, queue, job variables, paused', () => {
    expect(manifest.deployments[0]).toMatchObject({
      description: 'Nightly load into the warehouse',
      tags: ['etl', 'nightly'],
      parameters: { full_refresh: false },
      schedules: [{ cron: '0 2 * * *', timezone: 'Europe/Berlin' }],
      concurrencyLimit: 1,
      workPool: 'ecs-pool',
      workQueue: 'nightly',
      jobVariables: { image: '{{ build_image.image }}', cpu: 1024, memory: 4096 },
      paused: undefined,
    });
    expect(manifest.deployments[1]!.paused).toBe(true);
  });

  it('treats omitted trigger deployments as all of them', () => {
    const all = parseManifest(text.replace('    deployments: [report]\n', ''), FIXTURE);
    expect(all.triggers[1]!.deployments).toEqual(['etl-daily', 'etl-backfill', 'report']);
  });

  it.each<[string, string, RegExp]>([
    ['invalid YAML', 'deployments: [', /is not valid YAML/],
    ['a schema violation', text.replace('paused: true', 'paused: sometimes'), /deployment "etl-backfill"\/paused: must be boolean \(prefect\.yaml schema\)/],
    ['a trigger naming an unknown deployment', text.replace('deployments: [report]', 'deployments: [reports]'), /ecr_triggers\[1\]\.deployments names "reports", which is not in deployments:/],
    ['an unresolvable placeholder', text.replace('description: Nightly load into the warehouse', "description: '{{ $GIT_SHA }}'"), /deployment "etl-daily": description has the placeholder "\{\{ \$GIT_SHA \}\}"/],
    ['a duplicate deployment name', text.replace('name: report', 'name: etl-daily'), /deployment "etl-daily": name is used twice/],
    ['no triggers', text.slice(0, text.indexOf('ecr_triggers:')), /ecr_triggers: at least one trigger is needed/],
    ['a bad repository name', text.replace('repository: flows/etl', 'repository: Flows/ETL'), /ecr_triggers\[0\]\.repository must be an ECR repository name/],
    ['a bad entrypoint', text.replace('entrypoint: flows/report.py:build', 'entrypoint: flows/report.py'), /deployment "report": entrypoint must look like/],
  ])('rejects %s, naming the file, the deployment and the field', (_name, bad, message) => {
    expect(() => parseManifest(bad, FIXTURE)).toThrow(ManifestError);
    expect(() => parseManifest(bad, FIXTURE)).toThrow(new RegExp(`^${FIXTURE.replace(/[./]/g, '\\$&')}: `));
    expect(() => parseManifest(bad, FIXTURE)).toThrow(message);
  });

  it.each<[string, string, boolean]>([
    ['v*', 'v1.2.0', true],
    ['v*', 'main', false],
    ['main', 'main', true],
    ['release-?', 'release-7', true],
    ['release-?', 'release-10', false],
    ['1.*', '1x2', false],
  ])('tag pattern %s against %s -> %s', (pattern, tag, expected) => {
    expect(tagMatches(pattern, tag)).toBe(expected);
  });
});
