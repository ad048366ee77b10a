import fs from 'node:fs';
import { prefectMessage } from '../../../lambdas/common/prefect/client';
import { readManifest } from '../../../lambdas/registrar/manifest/fromYaml';
import { pythonStr, type Json } from '../../../lambdas/registrar/manifest/placeholders';
import { changedFields } from '../../../lambdas/registrar/registration/compare';
import { decideDeployment, otherDeployedDigest, supersededReason } from '../../../lambdas/registrar/registration/decide';
import { desiredBody, toScheduleCreate } from '../../../lambdas/registrar/registration/desired';
import { planRegistration } from '../../../lambdas/registrar/registration/plan';
import { applyValues, imageStepOutputs, resolvePrefectValues, splitBlockName, type PrefectValues } from '../../../lambdas/registrar/registration/templating';
import { extraFieldsError } from '../../support/deploymentStandIn';
import { OpenApiValidator } from '../../support/openapiValidator';

const { manifest } = readManifest(fs.readFileSync('test/fixtures/manifests/prefect.yaml', 'utf8'), 'prefect.yaml');
const digest = (c: string) => `sha256:${c.repeat(64)}`;
const push = { account: '123456789012', region: 'eu-west-1', repository: 'flows/etl', tag: 'v1.4.0', digest: digest('a') };
const [daily, backfill] = planRegistration(manifest, push);
const IMAGE = `123456789012.dkr.ecr.eu-west-1.amazonaws.com/flows/etl@${digest('a')}`;
const validator = OpenApiValidator.fromFile();
/** The body for a plan, its entry templated with the pushed image's outputs (no blocks or variables in the fixture). */
const bodyOf = (plan = daily!, existing?: Record<string, unknown>) => {
  const outputs = imageStepOutputs(plan.deployment.imageSteps, plan.pushed);
  const entry = applyValues(plan.deployment.entry, outputs) as never;
  return desiredBody(plan, entry, [...plan.deployment.pullSteps] as never, '9f2c2a5e-0b7a-4f57-9a39-2b1f0d6e7c11', 'ecs-pool', existing ? { id: 'd', ...existing } : undefined);
};

describe('templating as prefect deploy does it', () => {
  const outputs = imageStepOutputs(['build_image'], push);

  it('gives the pushed image pinned by digest, its name and its tag, under the step id and flat', () => {
    expect(applyValues({ a: '{{ build_image.image }}', b: '{{ image }}', c: '{{ build_image.tag }}', d: '{{ build_image.image_name }}:{{ tag }}' }, outputs)).toEqual({
      a: IMAGE,
      b: IMAGE,
      c: 'v1.4.0',
      d: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/flows/etl:v1.4.0',
    });
  });

  it('drops an unresolved value outside pull steps, keeps it inside, and never touches ctx.*', () => {
    expect(applyValues({ a: '{{ nope }}', b: 'x-{{ nope }}', c: '{{ ctx.flow_run.name }}', d: ['{{ nope }}', 'k'] }, outputs, { skipPrefixes: ['ctx.'] })).toEqual({ b: 'x-', c: '{{ ctx.flow_run.name }}', d: ['k'] });
    expect(applyValues({ a: '{{ clone.directory }}', b: '{{ $TOKEN }}', c: '{{ build_image.tag }}' }, outputs, { removeNotSet: false })).toEqual({ a: '{{ clone.directory }}', b: '{{ $TOKEN }}', c: 'v1.4.0' });
  });

  it('resolves blocks (whole value, typed, system blocks unwrapped, keypaths) then variables (missing ones become empty)', async () => {
    const asked: string[] = [];
    const prefect: PrefectValues = {
      block: async (slug, name) => {
        asked.push(`${slug}/${name}`);
        return slug === 'secret' ? { value: 's3cret' } : { value: { cpu: 2048, list: [{ k: 'v' }] } };
      },
      variable: async (name) => ({ owner: 'team', n: 3, flag: true } as Record<string, Json>)[name],
    };
    const resolved = await resolvePrefectValues(
      { a: '{{ prefect.blocks.secret.token }}', b: '{{ prefect.blocks.json.cfg.value.cpu }}', c: '{{ prefect.blocks.json.cfg.value.list[0].k }}', d: 'by {{ prefect.variables.owner }}', e: '{{ prefect.variables.n }}', f: 'x{{ prefect.variables.missing }}y', g: '{{ prefect.variables.missing }}', h: 'is {{ prefect.variables.flag }}' },
      prefect,
    );
    expect(resolved).toEqual({ a: 's3cret', b: 2048, c: 'v', d: 'by team', e: 3, f: 'xy', g: '', h: 'is True' });
    expect(asked).toEqual(['secret/token', 'json/cfg', 'json/cfg']);
  });

  it('refuses an embedded block placeholder and a keypath the block lacks, as Prefect does', async () => {
    const prefect: PrefectValues = { block: async () => ({ a: 1 }), variable: async () => undefined };
    await expect(resolvePrefectValues('x-{{ prefect.blocks.json.cfg }}', prefect)).rejects.toThrow('Only a single block placeholder is allowed');
    await expect(resolvePrefectValues('{{ prefect.blocks.json.cfg.b }}', prefect)).rejects.toThrow('Could not resolve the keypath');
    expect(splitBlockName('prefect.blocks.json.cfg.a.b')).toEqual(['json', 'cfg', 'a.b']);
  });

  it('prints embedded values as Python str() does', () => {
    expect([true, null, 1.5, { a: [1, 'x', false] }, "it's"].map((v) => pythonStr(v as Json))).toEqual(['True', 'None', '1.5', "{'a': [1, 'x', False]}", "it's"]);
  });
});

describe('the deployment body', () => {
  it('is one the Prefect API accepts, for every deployment of the fixture', () => {
    for (const plan of [...planRegistration(manifest, push), ...planRegistration(manifest, { ...push, repository: 'flows/reports', tag: 'release-1' })]) {
      expect(validator.validate('POST', '/deployments/', bodyOf(plan))).toEqual([]);
    }
  });

  it('sends optional fields only when the manifest sets them', () => {
    const b = bodyOf(backfill);
    expect(b).toMatchObject({ paused: true, job_variables: { image: `${IMAGE}` }, tags: [], parameters: {}, description: null, version: 'v1.4.0-aaaaaaaaaaaa' });
    for (const field of ['concurrency_limit', 'concurrency_options', 'enforce_parameter_schema', 'work_queue_name']) expect(b).not.toHaveProperty(field);
    expect(bodyOf(daily)).toMatchObject({ concurrency_limit: 1, work_queue_name: 'nightly' });
    expect(bodyOf(daily)).not.toHaveProperty('paused');
  });

  it('removes a limit the manifest dropped only where the deployment has its own (so the server knows the field, and a shared limit stays)', () => {
    const own = { global_concurrency_limit: { name: 'deployment:d', limit: 2 }, concurrency_limit: null, concurrency_options: { collision_strategy: 'ENQUEUE' } };
    expect(bodyOf(backfill, own)).toMatchObject({ concurrency_limit: null, concurrency_options: null });
    // Prefect 3.0.0-3.0.2 answered the number itself.
    expect(bodyOf(backfill, { concurrency_limit: 2 })).toMatchObject({ concurrency_limit: null });
    expect(bodyOf(backfill, { concurrency_limit: null, global_concurrency_limit: null })).not.toHaveProperty('concurrency_limit');
    // A limit a person linked (global_concurrency_limit_id): null would delete it (models/deployments.py:L713-L723).
    expect(bodyOf(backfill, { concurrency_limit: null, global_concurrency_limit: { name: 'warehouse-slots', limit: 3 } })).not.toHaveProperty('concurrency_limit');
  });

  it('turns prefect.yaml schedules into API schedules', () => {
    expect(toScheduleCreate({ cron: '0 2 * * *', timezone: 'Europe/Berlin', day_or: 'false' }, 's')).toEqual({ schedule: { cron: '0 2 * * *', timezone: 'Europe/Berlin', day_or: false } });
    expect(toScheduleCreate({ interval: 'PT1H', active: false, slug: 'hourly' }, 's')).toEqual({ schedule: { interval: 3600 }, active: false, slug: 'hourly' });
    expect(toScheduleCreate({ rrule: '{"rrule": "FREQ=DAILY", "timezone": "UTC"}' }, 's')).toEqual({ schedule: { rrule: 'FREQ=DAILY', timezone: 'UTC' } });
  });
});

describe('comparing the whole deployment', () => {
  const stored = (sent: Record<string, unknown>) => {
    const body = structuredClone(sent);
    return {
      id: 'd',
      ...body,
      paused: false,
      work_queue_name: body.work_queue_name ?? 'default',
      schedules: ((body.schedules as { schedule: Record<string, unknown> }[]) ?? []).map((s) => ({ ...s, id: 'x', active: true, parameters: {}, slug: null, schedule: { ...s.schedule, day_or: true, timezone: s.schedule.timezone ?? null } })),
    };
  };

  it('finds nothing to write after the server stored what was sent (its defaults included)', () => {
    const body = bodyOf(daily);
    expect(changedFields(body, stored(body))).toEqual([]);
  });

  it.each<[string, (d: Record<string, unknown>) => void, string]>([
    ['a description edit', (d) => (d.description = 'old'), 'description'],
    ['a tag edit', (d) => (d.tags = ['etl']), 'tags'],
    ['a schedule edit', (d) => ((d.schedules as { schedule: { cron: string } }[])[0]!.schedule.cron = '0 3 * * *'), 'schedules'],
    ['a pull step edit', (d) => (d.pull_steps = []), 'pull_steps'],
    ['a job variable edit', (d) => ((d.job_variables as Record<string, unknown>).cpu = 512), 'job_variables'],
    ['a queue moved', (d) => (d.work_queue_name = 'other'), 'work_queue_name'],
  ])('sees %s', (_name, change, field) => {
    const body = bodyOf(daily);
    const existing = stored(body);
    change(existing);
    expect(changedFields(body, existing)).toEqual([field]);
  });

  it('reads an rrule back through the DTSTART a 3.6 server injects, and Prefect 2\'s infra_overrides', () => {
    const body = { ...bodyOf(backfill), schedules: [{ schedule: { rrule: 'FREQ=DAILY' } }] };
    const { job_variables, ...rest } = body;
    expect(changedFields(body, { ...rest, id: 'd', infra_overrides: job_variables, schedules: [{ schedule: { rrule: 'DTSTART:20200101T000000\nFREQ=DAILY', timezone: 'UTC' }, active: true }] })).toEqual([]);
  });

  describe('a concurrency limit, answered by Prefect >= 3.0.3 as global_concurrency_limit (concurrency_limit is always null)', () => {
    const limited = (limit: number | null, name = 'deployment:d') => {
      const existing = stored(bodyOf(daily));
      return { ...existing, concurrency_limit: null, global_concurrency_limit: limit === null ? null : { id: 'g', name, limit, active: true, active_slots: 0, slot_decay_per_second: 0 } };
    };

    it('is unchanged when the limit is the one the manifest sets', () => {
      expect(changedFields(bodyOf(daily), limited(1))).toEqual([]);
    });

    it('is unchanged on a 3.0.0-3.0.2 server, which answers the number in concurrency_limit', () => {
      expect(changedFields(bodyOf(daily), { ...stored(bodyOf(daily)), concurrency_limit: 1 })).toEqual([]);
    });

    it.each<[string, number | null, string]>([
      ['another limit', 3, 'deployment:d'],
      ['no limit', null, 'deployment:d'],
    ])('sees %s', (_case, limit, name) => {
      expect(changedFields(bodyOf(daily), limited(limit, name))).toEqual(['concurrency_limit']);
    });

    it('sees a limit the manifest dropped, and sends null for it', () => {
      const existing = { ...stored(bodyOf(backfill)), paused: true, concurrency_limit: null, global_concurrency_limit: { id: 'g', name: 'deployment:d', limit: 2 } };
      const body = bodyOf(backfill, existing);
      expect(body.concurrency_limit).toBeNull();
      expect(changedFields(body, existing)).toEqual(['concurrency_limit']);
      expect(changedFields(body, { ...existing, global_concurrency_limit: null })).toEqual([]);
    });
  });

  describe('schedules', () => {
    const withSchedule = (schedule: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ ...bodyOf(backfill), schedules: [{ schedule, ...extra }] as never });
    const storedAs = (body: ReturnType<typeof withSchedule>, schedule: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ ...stored(body), paused: true, schedules: [{ schedule, active: true, parameters: {}, slug: null, ...extra }] });

    it.each<[string, string, string, boolean]>([
      ['the 2020 anchor a server writes into a bare rule', 'FREQ=DAILY', 'DTSTART:20200101T000000\nFREQ=DAILY', true],
      ['a bare rule from a server that writes none', 'FREQ=DAILY', 'FREQ=DAILY', true],
      ['the manifest\'s own DTSTART, as sent', 'DTSTART:20240101T090000\nRRULE:FREQ=DAILY', 'DTSTART:20240101T090000\nRRULE:FREQ=DAILY', true],
      ['a phase-equivalent anchor of a MINUTELY rule without COUNT', 'FREQ=MINUTELY;INTERVAL=15', 'DTSTART:20260301T101500\nFREQ=MINUTELY;INTERVAL=15', true],
      ['a DTSTART the manifest changed', 'DTSTART:20240101T100000\nRRULE:FREQ=DAILY', 'DTSTART:20240101T090000\nRRULE:FREQ=DAILY', false],
      ['a DTSTART the manifest dropped', 'RRULE:FREQ=DAILY', 'DTSTART:20240101T090000\nRRULE:FREQ=DAILY', false],
      ['an anchor off the phase of a MINUTELY rule', 'FREQ=MINUTELY;INTERVAL=15', 'DTSTART:20260301T100700\nFREQ=MINUTELY;INTERVAL=15', false],
      ['a later anchor for a DAILY rule (only SECONDLY/MINUTELY are advanced)', 'FREQ=DAILY', 'DTSTART:20260301T000000\nFREQ=DAILY', false],
      ['an advanced anchor for a rule with COUNT', 'FREQ=MINUTELY;COUNT=5', 'DTSTART:20260301T101500\nFREQ=MINUTELY;COUNT=5', false],
    ])('an rrule against %s: unchanged = %s', (_case, sent, back, same) => {
      const body = withSchedule({ rrule: sent });
      expect(changedFields(body, storedAs(body, { rrule: back, timezone: 'UTC' }))).toEqual(same ? [] : ['schedules']);
    });

    it('sees a slug the manifest dropped', () => {
      const body = withSchedule({ cron: '0 1 * * *' });
      expect(changedFields(body, storedAs(body, { cron: '0 1 * * *', timezone: null, day_or: true }, { slug: 'nightly' }))).toEqual(['schedules']);
      expect(changedFields(body, storedAs(body, { cron: '0 1 * * *', timezone: null, day_or: true }))).toEqual([]);
    });
  });
});

describe('registration decisions', () => {
  const repository = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/flows/etl';
  const images = new Map([
    [digest('b'), { pushedAt: 1_000, tags: ['v1.3.0'] }],
    [digest('a'), { pushedAt: 2_000, tags: ['v1.4.0'] }],
    [digest('c'), { pushedAt: 3_000, tags: ['v1.5.0'] }],
    // Pushed later, but its matching tag was moved to an older image since: a rollback.
    [digest('e'), { pushedAt: 4_000, tags: ['feature-x'] }],
  ]);

  it.each<[string, string | undefined, string | undefined]>([
    ['the tag still points at the pushed image', digest('a'), undefined],
    ['the tag moved on', digest('c'), `superseded: flows/etl:v1.4.0 now points at ${digest('c')}`],
    ['the tag is gone', undefined, 'flows/etl:v1.4.0 no longer exists'],
  ])('a push where %s', (_case, current, reason) => {
    expect(supersededReason(push, current)).toBe(reason);
  });

  it.each<[string, boolean, string | undefined, string[], ReturnType<typeof decideDeployment>]>([
    ['creates a deployment that does not exist', false, undefined, [], { write: true, outcome: 'created' }],
    ['leaves one that is as the manifest says', true, undefined, [], { write: false, outcome: 'unchanged', reason: 'already as the manifest says, at this image' }],
    ['updates one that differs, naming the fields', true, undefined, ['tags'], { write: true, outcome: 'updated', reason: 'changed: tags' }],
    ['updates one at an image pushed earlier', true, digest('b'), ['job_variables'], { write: true, outcome: 'updated', reason: 'changed: job_variables' }],
    ['skips one at an image pushed later (an out-of-order event)', true, digest('c'), ['job_variables'], { write: false, outcome: 'skipped', reason: `a newer image is deployed (${digest('c')})` }],
    ['updates one at an image pushed later that no longer carries a matching tag (the tag was moved back)', true, digest('e'), ['job_variables'], { write: true, outcome: 'updated', reason: 'changed: job_variables' }],
    ['updates one at an image ECR no longer has', true, digest('f'), ['job_variables'], { write: true, outcome: 'updated', reason: 'changed: job_variables' }],
  ])('%s', (_case, exists, other, changed, decision) => {
    expect(decideDeployment(exists, other, daily!, changed, images)).toEqual(decision);
  });

  it('compares push times only for another image of the same repository', () => {
    expect(otherDeployedDigest(`${repository}@${digest('b')}`, daily!)).toBe(digest('b'));
    expect(otherDeployedDigest(`${repository}@${digest('a')}`, daily!)).toBeUndefined();
    expect(otherDeployedDigest(`${repository}:v1`, daily!)).toBeUndefined();
    expect(otherDeployedDigest(`123456789012.dkr.ecr.eu-west-1.amazonaws.com/other@${digest('b')}`, daily!)).toBeUndefined();
  });
});

describe("Prefect's error bodies", () => {
  it.each<[string, unknown, string]>([
    ['3.x extra_forbidden', extraFieldsError(3, ['concurrency_limit'], { concurrency_limit: 1 }).body, 'Invalid request received. body.concurrency_limit: Extra inputs are not permitted'],
    ['2.x value_error.extra', extraFieldsError(2, ['concurrency_limit'], { concurrency_limit: 1 }).body, 'Invalid request received. body.concurrency_limit: extra fields not permitted'],
    ['FastAPI detail', { detail: 'Work pool "x" not found.' }, 'Work pool "x" not found.'],
  ])('reads %s without the echoed request', (_name, body, message) => {
    expect(prefectMessage(body)).toBe(message);
  });
});
