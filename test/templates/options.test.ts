import fs from 'node:fs';
import { ManifestError } from '../../lambdas/registrar/errors';
import { buildWorkerStack } from '../../templates/stacks/worker';
import { InvalidOptionError } from '../../templates/core/errors';
import { resolveWorkerStackOptions, type WorkerStackOptions } from '../../templates/parameters/options';
import { failedAssertions, type TemplateLogic } from '../../scripts/lib/validation/conditionLogic';
import { defaultValues } from '../../scripts/lib/validation/parameterMatrix';

describe('worker stack options', () => {
  it('resolves documented defaults: scale to zero, 3 workers, 10 submissions each, stuck runs rescheduled after 10 minutes', () => {
    const o = resolveWorkerStackOptions();
    expect(o.scaling).toEqual({
      minWorkers: 0,
      maxWorkers: 3,
      submissionsPerWorker: 10,
      lookaheadSeconds: 120,
      idleGraceSeconds: 0,
      stuckPendingSeconds: 600,
      stuckPendingAction: 'reschedule',
    });
    expect(o.workerImage).toMatch(/^prefecthq\/prefect-aws:\d/);
    expect(o.workerSize).toBe('512/1024');
  });

  it.each<[string, WorkerStackOptions, RegExp]>([
    ['workerSize=300/512', { workerSize: '300/512' }, /^workerSize must be a valid Fargate "cpu\/memory" pair .*\(got "300\/512"\)$/],
    ['workerSize=256/4096', { workerSize: '256/4096' }, /^workerSize .*\(got "256\/4096"\)$/],
    ['workerImage latest', { workerImage: 'prefecthq/prefect-aws:latest' }, /^workerImage must be pinned .*\(got "prefecthq\/prefect-aws:latest"\)$/],
    ['workerImage untagged', { workerImage: 'prefecthq/prefect-aws' }, /^workerImage must be pinned/],
    ['logRetentionDays=10', { logRetentionDays: 10 }, /^logRetentionDays must be one of 1\|3\|5\|7\|14\|30.*\(got 10\)$/],
    ['workPoolName with a space', { workPoolName: 'my pool' }, /^workPoolName must be 1-210 letters, digits, "_" or "-"/],
    // prefect-aws 0.7.7 registers prefect_<pool>_<id> as it is, and ECS refuses "." in a family (test/integration/ecsFamilyParity.test.ts).
    ['workPoolName with a dot', { workPoolName: 'etl.prod' }, /^workPoolName must be .*ECS task-definition families allow no other character.*\(got "etl\.prod"\)$/],
    ['workPoolName of 211 characters', { workPoolName: 'p'.repeat(211) }, /^workPoolName must be 1-210 /],
    ['minWorkers=-1', { scaling: { minWorkers: -1 } }, /^scaling\.minWorkers must be a whole number from 0 to 10 \(got -1\)$/],
    ['submissionsPerWorker=1.5', { scaling: { submissionsPerWorker: 1.5 } }, /^scaling\.submissionsPerWorker must be a whole number/],
    ['stuckPendingSeconds=60', { scaling: { stuckPendingSeconds: 60 } }, /^scaling\.stuckPendingSeconds must be a whole number from 120 to 86400 \(got 60\)$/],
    ['stuckPendingAction=delete', { scaling: { stuckPendingAction: 'delete' as 'off' } }, /^scaling\.stuckPendingAction must be one of reschedule\|crash\|off \(got "delete"\)$/],
    ['minWorkers above maxWorkers', { scaling: { minWorkers: 5, maxWorkers: 2 } }, /^scaling\.minWorkers must not exceed scaling\.maxWorkers=2 \(got 5\)$/],
  ])('rejects %s naming the option', (_name, options, message) => {
    expect(() => buildWorkerStack(options)).toThrow(InvalidOptionError);
    expect(() => buildWorkerStack(options)).toThrow(message);
  });

  it('accepts a digest-pinned image and every documented Fargate size boundary', () => {
    const digest = `123456789012.dkr.ecr.eu-west-1.amazonaws.com/worker@sha256:${'a'.repeat(64)}`;
    for (const workerSize of ['256/512', '256/2048', '4096/30720', '16384/122880']) {
      expect(() => resolveWorkerStackOptions({ workerImage: digest, workerSize })).not.toThrow();
    }
  });

  it('makes the options the parameter defaults', () => {
    const t = buildWorkerStack({ workPoolName: 'etl', workerSize: '1024/2048', scaling: { maxWorkers: 7 } });
    expect(t.Parameters.WorkPoolName!.Default).toBe('etl');
    expect(t.Parameters.WorkerSize!.Default).toBe('1024/2048');
    expect(t.Parameters.MaxWorkers!.Default).toBe('7');
  });

  describe('a synth-time manifest', () => {
    const text = fs.readFileSync('test/fixtures/manifests/prefect.yaml', 'utf8');
    const manifest = { file: 'prefect.yaml', text };
    const inProd = { file: 'prefect.yaml', text: text.replaceAll('      name: ecs-pool\n', '      name: prod\n') };

    it('is checked, naming the file, the deployment and the field, and stored in its JSON form', () => {
      expect(() => resolveWorkerStackOptions({ manifest: { file: 'prefect.yaml', text: text.replace('description:', 'descriptoin:') } })).toThrow(ManifestError);
      expect(() => resolveWorkerStackOptions({ manifest: { file: 'prefect.yaml', text: text.replace('description:', 'descriptoin:') } })).toThrow(/deployment "etl-daily": descriptoin is not a key of a deployment \(did you mean "description"\?\)/);
      expect(JSON.parse(resolveWorkerStackOptions({ manifest }).manifest!.json)).toMatchObject({ ecr_triggers: [{ repository: 'flows/etl' }, { repository: 'flows/reports' }] });
    });

    it('naming a pool other than the default makes it the default, and a Rule holds the deployed WorkPoolName to it', () => {
      const t = buildWorkerStack({ manifest: inProd });
      expect(t.Parameters.WorkPoolName!.Default).toBe('prod');
      const template = t as unknown as TemplateLogic;
      const values = (overrides: Record<string, string>) => ({ ...defaultValues(template), PrefectAuthValue: 'pnu_x', ...overrides });
      expect(failedAssertions(template, values({})).map((f) => f.description)).toEqual([]);
      expect(failedAssertions(template, values({ WorkPoolName: 'ecs-pool' })).map((f) => f.description)).toEqual([
        'The registrar manifest stored in this template registers its deployments into work pool "prod": set WorkPoolName to prod, or give ManifestParameterName, or change work_pool.name and synthesize again.',
      ]);
      // Another manifest named at deploy time, or the registrar off: the stored one does not matter.
      expect(failedAssertions(template, values({ WorkPoolName: 'ecs-pool', ManifestParameterName: '/team/manifest' }))).toEqual([]);
      expect(failedAssertions(template, values({ WorkPoolName: 'ecs-pool', WatchedRepositories: '' }))).toEqual([]);
      // A manifest that names no pool needs no Rule: its deployments go to WorkPoolName.
      expect(buildWorkerStack({ manifest: { file: 'prefect.yaml', text: text.replaceAll('      name: ecs-pool\n', '') } }).Rules).not.toHaveProperty('ManifestWorkPool');
    });

    it.each<[string, WorkerStackOptions, RegExp]>([
      ['a workPoolName the manifest contradicts', { manifest, workPoolName: 'etl-pool' }, /^workPoolName differs from the work pool the manifest's deployments name \("ecs-pool"\).*give workPoolName ecs-pool/],
      ['two pools', { manifest: { file: 'prefect.yaml', text: text.replace('      name: ecs-pool\n      work_queue_name', '      name: other\n      work_queue_name') } }, /^manifest names the work pools other, ecs-pool, but the stack's workers poll one/],
    ])('refuses %s, naming the option', (_name, options, message) => {
      expect(() => resolveWorkerStackOptions(options)).toThrow(InvalidOptionError);
      expect(() => resolveWorkerStackOptions(options)).toThrow(message);
    });

    it('refuses a stored form over 8 KB with its size, the size of a deployment and how many fit', () => {
      const names = Array.from({ length: 60 }, (_, i) => `extra-${i}`);
      const many = text
        .replace('deployments:\n', `deployments:\n${names.map((name, i) => `  - name: ${name}\n    entrypoint: flows/etl.py:run_etl\n    description: one of many deployments of this team\n    parameters: {day: ${i}}\n`).join('')}`)
        .concat(`  - repository: flows/extra\n    tags: ["v*"]\n    deployments: [${names.join(', ')}]\n`);
      expect(() => resolveWorkerStackOptions({ manifest: { file: 'prefect.yaml', text: many } })).toThrow(/^manifest must be at most 8192 bytes in its stored JSON form \(an SSM Advanced parameter's limit; got \d+ bytes for 63 deployments, about \d+ each, so about \d+ fit\)/);
    });
  });
});
