import { NetworkError } from '../../../lambdas/common/errors';
import { fetchWithRetries } from '../../../lambdas/common/http';

const request = () => new Request('https://prefect.test/api/flow_runs/count', { method: 'POST', body: '{"a":1}', headers: { 'content-type': 'application/json' } });

function scripted(answers: (() => Response | Promise<Response>)[]) {
  const bodies: string[] = [];
  const fetchImpl = async (r: Request) => {
    bodies.push(await r.text());
    const next = answers.shift();
    if (!next) throw new Error('no more answers');
    return next();
  };
  return { fetchImpl, bodies };
}

describe('fetchWithRetries', () => {
  it('retries 5xx and 429 with the same body and returns the first success', async () => {
    const waits: number[] = [];
    const { fetchImpl, bodies } = scripted([
      () => new Response('', { status: 502 }),
      () => new Response('', { status: 429, headers: { 'retry-after': '2' } }),
      () => Response.json(7),
    ]);
    const response = await fetchWithRetries(request(), { sleep: async (ms) => void waits.push(ms), random: () => 0.5 }, fetchImpl);
    expect(await response.json()).toBe(7);
    expect(bodies).toEqual(['{"a":1}', '{"a":1}', '{"a":1}']);
    expect(waits).toEqual([100, 2000]);
  });

  it('stops after the attempt budget and hands back the last error response', async () => {
    const { fetchImpl } = scripted([() => new Response('', { status: 500 }), () => new Response('', { status: 500 }), () => new Response('', { status: 503 })]);
    const response = await fetchWithRetries(request(), { attempts: 3, sleep: async () => undefined }, fetchImpl);
    expect(response.status).toBe(503);
  });

  it('does not retry a 401 or a 404', async () => {
    const { fetchImpl, bodies } = scripted([() => new Response('', { status: 401 })]);
    expect((await fetchWithRetries(request(), { sleep: async () => undefined }, fetchImpl)).status).toBe(401);
    expect(bodies).toHaveLength(1);
  });

  it('times out a hung attempt and raises NetworkError when all attempts hang', async () => {
    const hang = () => new Promise<Response>(() => undefined);
    const started = Date.now();
    await expect(fetchWithRetries(request(), { attempts: 2, timeoutMs: 50, sleep: async () => undefined }, hang)).rejects.toThrow(NetworkError);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('gives up when waiting for Retry-After would pass the deadline', async () => {
    const { fetchImpl } = scripted([() => new Response('', { status: 429, headers: { 'retry-after': '30' } })]);
    await expect(fetchWithRetries(request(), { deadlineMs: 1000, maxDelayMs: 60_000, sleep: async () => undefined }, fetchImpl)).rejects.toThrow(/budget: HTTP 429/);
  });

  it('retries connection errors', async () => {
    const { fetchImpl } = scripted([() => Promise.reject(new TypeError('fetch failed')), () => Response.json(1)]);
    expect((await fetchWithRetries(request(), { sleep: async () => undefined }, fetchImpl)).status).toBe(200);
  });

  it('ends every attempt by an absolute deadline read per request, and sends nothing past it', async () => {
    const hang = () => new Promise<Response>(() => undefined);
    const started = Date.now();
    await expect(fetchWithRetries(request(), { timeoutMs: 5000, deadlineAt: () => started + 100, sleep: async () => undefined }, hang)).rejects.toThrow(NetworkError);
    expect(Date.now() - started).toBeLessThan(2000);
    const { fetchImpl, bodies } = scripted([() => Response.json(1)]);
    await expect(fetchWithRetries(request(), { deadlineAt: () => Date.now() - 1 }, fetchImpl)).rejects.toThrow(/no time left/);
    expect(bodies).toHaveLength(0);
  });

  it('sends a request that must not be repeated once after a 5xx, a timeout or a network error, but again after a 429', async () => {
    const once = { mayRepeat: () => false, sleep: async () => undefined };
    const fiveHundred = scripted([() => new Response('', { status: 503 }), () => Response.json(1)]);
    expect((await fetchWithRetries(request(), once, fiveHundred.fetchImpl)).status).toBe(503);
    expect(fiveHundred.bodies).toHaveLength(1);
    const network = scripted([() => Promise.reject(new TypeError('fetch failed')), () => Response.json(1)]);
    await expect(fetchWithRetries(request(), once, network.fetchImpl)).rejects.toThrow(NetworkError);
    expect(network.bodies).toHaveLength(1);
    const throttled = scripted([() => new Response('', { status: 429, headers: { 'retry-after': '0' } }), () => Response.json(1)]);
    expect((await fetchWithRetries(request(), once, throttled.fetchImpl)).status).toBe(200);
    expect(throttled.bodies).toHaveLength(2);
  });
});

