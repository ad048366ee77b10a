/**
 * The Prefect stand-in answers as the server versions it models: Prefect's 422 shape with
 * pydantic v2 items (3.x) or v1 items (2.x), as in 3.6.28 and 2.20.0 src/prefect/server/api/server.py;
 * a deployment's limit as 3.6.28 answers it; an rrule with the DTSTART 3.6.28 writes.
 */
import { addDeploymentRoutes } from '../support/deploymentStandIn';
import { PrefectStandIn } from '../support/prefectStandIn';

let v3: PrefectStandIn;
let v2: PrefectStandIn;

beforeAll(async () => {
  v3 = await PrefectStandIn.start();
  v2 = await PrefectStandIn.start();
  addDeploymentRoutes(v3);
  addDeploymentRoutes(v2, { version: 2 });
});
afterAll(async () => {
  await v3?.close();
  await v2?.close();
});

const post = (server: PrefectStandIn, body: object) =>
  fetch(`${server.url}/deployments/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, any> })); // eslint-disable-line @typescript-eslint/no-explicit-any

const deployment = { name: 'd', flow_id: '9f2c2a5e-0b7a-4f57-9a39-2b1f0d6e7c11' };

describe('Prefect stand-in, by server version', () => {
  it('3.x: an unknown field is 422 extra_forbidden in Prefect\'s own shape', async () => {
    expect(await post(v3, { ...deployment, infra_overrides: {} })).toEqual({
      status: 422,
      body: { exception_message: 'Invalid request received.', exception_detail: [{ type: 'extra_forbidden', loc: ['body', 'infra_overrides'], msg: 'Extra inputs are not permitted', input: {} }], request_body: { ...deployment, infra_overrides: {} } },
    });
    v3.validationErrors.length = 0;
  });

  it('2.x: concurrency_limit is 422 "extra fields not permitted" (value_error.extra); 3.x takes it', async () => {
    expect(await post(v2, { ...deployment, concurrency_limit: 1 })).toEqual({
      status: 422,
      body: { exception_message: 'Invalid request received.', exception_detail: [{ loc: ['body', 'concurrency_limit'], msg: 'extra fields not permitted', type: 'value_error.extra' }], request_body: { ...deployment, concurrency_limit: 1 } },
    });
    expect((await post(v3, { ...deployment, concurrency_limit: 1 })).status).toBe(201);
  });

  it('3.x: a limit is answered as the deployment\'s global concurrency limit, concurrency_limit always null; null removes it; leaving it out keeps it', async () => {
    const created = await post(v3, { ...deployment, name: 'limited', concurrency_limit: 2 });
    // 3.6.28:src/prefect/server/schemas/responses.py:L433-L441, models/deployments.py:L430-L458.
    expect(created.body).toMatchObject({ concurrency_limit: null, global_concurrency_limit: { name: `deployment:${created.body.id}`, limit: 2, active: true } });
    expect((await post(v3, { ...deployment, name: 'limited', description: 'x' })).body.global_concurrency_limit).toMatchObject({ limit: 2 });
    expect((await post(v3, { ...deployment, name: 'limited', concurrency_limit: 3 })).body.global_concurrency_limit).toMatchObject({ limit: 3, name: `deployment:${created.body.id}` });
    expect((await post(v3, { ...deployment, name: 'limited', concurrency_limit: null })).body).toMatchObject({ concurrency_limit: null, global_concurrency_limit: null });
  });

  it('3.x: a bare rrule is stored with the DTSTART normalize_rrule_string writes', async () => {
    const saved = await post(v3, { ...deployment, name: 'rrule', schedules: [{ schedule: { rrule: 'FREQ=DAILY' } }, { schedule: { rrule: 'DTSTART:20240101T090000\nRRULE:FREQ=DAILY' } }] });
    expect(saved.body.schedules.map((s: { schedule: { rrule: string } }) => s.schedule.rrule)).toEqual(['DTSTART:20200101T000000\nFREQ=DAILY', 'DTSTART:20240101T090000\nRRULE:FREQ=DAILY']);
  });
});
