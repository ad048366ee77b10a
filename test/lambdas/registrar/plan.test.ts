import fs from 'node:fs';
import { deploymentBody, toScheduleCreate } from '../../../lambdas/registrar/deploymentBody';
import { parseManifest } from '../../../lambdas/registrar/manifest';
import { imageReference, planRegistration, versionOf } from '../../../lambdas/registrar/plan';
import { OpenApiValidator } from '../../support/openapiValidator';

const manifest = parseManifest(fs.readFileSync('test/fixtures/manifests/prefect.yaml', 'utf8'));
const digest = `sha256:${'3f2a9c1b0d4e'.padEnd(64, '0')}`;
const push = { account: '123456789012', region: 'eu-west-1', repository: 'flows/etl', tag: 'v1.4.0', digest };
const validator = OpenApiValidator.fromFile();

describe('registration plan', () => {
  it('maps a matching push to its deployments, pinned to the digest', () => {
    const plans = planRegistration(manifest, push, 'stack-pool');
    expect(plans.map((p) => `${p.flow}/${p.name}`)).toEqual(['run-etl/etl-daily', 'run-etl/etl-backfill']);
    expect(plans[0]).toMatchObject({
      image: `123456789012.dkr.ecr.eu-west-1.amazonaws.com/flows/etl@${digest}`,
      version: 'v1.4.0-3f2a9c1b0d4e',
      workPool: 'ecs-pool',
      workQueue: 'nightly',
      jobVariables: { image: `123456789012.dkr.ecr.eu-west-1.amazonaws.com/flows/etl@${digest}`, cpu: 1024, memory: 4096 },
    });
  });

  it('registers nothing for another repository or a tag no pattern matches', () => {
    expect(planRegistration(manifest, { ...push, repository: 'flows/other' }, 'p')).toEqual([]);
    expect(planRegistration(manifest, { ...push, tag: 'feature-x' }, 'p')).toEqual([]);
  });

  it('uses the partition of the region for the registry', () => {
    expect(imageReference({ ...push, region: 'cn-north-1' })).toBe(`123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/flows/etl@${digest}`);
    expect(versionOf(push)).toBe('v1.4.0-3f2a9c1b0d4e');
  });

  it('builds a full deployment body the Prefect API accepts', () => {
    for (const plan of [...planRegistration(manifest, push, 'p'), ...planRegistration(manifest, { ...push, repository: 'flows/reports', tag: 'release-1' }, 'p')]) {
      const body = deploymentBody(plan, '9f2c2a5e-0b7a-4f57-9a39-2b1f0d6e7c11', undefined);
      expect(validator.validate('POST', '/deployments/', body)).toEqual([]);
    }
  });

  it('keeps a person\'s pause unless the manifest decides', () => {
    const [daily, backfill] = planRegistration(manifest, push, 'p');
    expect(deploymentBody(daily!, 'f', true).paused).toBe(true);
    expect(deploymentBody(daily!, 'f', false).paused).toBe(false);
    expect(deploymentBody(daily!, 'f', undefined).paused).toBe(false);
    expect(deploymentBody(backfill!, 'f', false).paused).toBe(true);
  });

  it('turns prefect.yaml schedules into API schedules', () => {
    expect(toScheduleCreate({ cron: '0 2 * * *', timezone: 'Europe/Berlin' })).toEqual({ schedule: { cron: '0 2 * * *', timezone: 'Europe/Berlin' }, active: true });
    expect(toScheduleCreate({ interval: 3600, active: false, slug: 'hourly' })).toEqual({ schedule: { interval: 3600 }, active: false, slug: 'hourly' });
    expect(toScheduleCreate({ schedule: { rrule: 'FREQ=DAILY' }, active: true })).toEqual({ schedule: { rrule: 'FREQ=DAILY' }, active: true });
  });
});
