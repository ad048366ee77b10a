/**
 * A local HTTP stand-in for the Prefect API on 127.0.0.1. Every request is validated against
 * Prefect's OpenAPI schema (problems collected in `validationErrors`, and answered with 422 as
 * the server would), then against the filter keys of `serverVersion` (a 3.0.3 or 2.20.25 server
 * answers 422 to keys it lacks, in its own body shape: prefectFlowRuns.ts). Faults can be
 * injected (5xx, 429 with Retry-After, slow answers, invalid JSON, 401). Flow runs live in an
 * in-memory list: counted and listed with the filter semantics the Lambdas rely on, read, and
 * moved by `set_state` with Prefect's orchestration rules (prefectOrchestration.ts). Work pools
 * and their queues (pause, concurrency limits) are in `pools`. `afterRequest` hooks run once a
 * request is answered, e.g. to move a run to its next state between two reads. Other routes are
 * added per test with `on()`.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { OpenApiValidator } from './openapiValidator';
import { extraKeysRejected, flowRunResponse, listRuns, matchingRuns, unknownFilterKeys, type FlowRunsBody, type ServerVersion, type StandInFlowRun } from './prefectFlowRuns';
import { setState, type Proposal } from './prefectOrchestration';

export type { ServerVersion, StandInFlowRun } from './prefectFlowRuns';

export interface StandInQueue {
  readonly name: string;
  is_paused?: boolean;
  concurrency_limit?: number | null;
}

export interface StandInPool {
  is_paused?: boolean;
  concurrency_limit?: number | null;
  /** Its queues; when omitted, "default" plus every queue its flow runs name. */
  queues?: StandInQueue[];
}

/** A deployment as the Lambdas read it (DeploymentResponse's concurrency fields). */
export interface StandInDeployment {
  concurrency_limit?: number | null;
  grace_period_seconds?: number | null;
}

export interface Fault {
  /** Only requests whose path (after /api) matches. @default every path */
  readonly path?: RegExp;
  /** How many requests it hits. @default 1 */
  times?: number;
  readonly status?: number;
  readonly headers?: Record<string, string>;
  /** Raw body to send (e.g. invalid JSON with status 200). */
  readonly body?: string;
  /** Wait before answering (a slow server). */
  readonly delayMs?: number;
  /** Only requests this accepts (e.g. by body). @default every request */
  readonly when?: (request: RecordedRequest) => boolean;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly body: unknown;
  readonly authorization?: string;
  /** Date.now() when the request arrived. */
  readonly receivedAt: number;
}

export type RouteHandler = (request: RecordedRequest, params: Record<string, string>) => { status: number; body?: unknown } | Promise<{ status: number; body?: unknown }>;

const validator = OpenApiValidator.fromFile();
const API_PREFIX = '/api';

export class PrefectStandIn {
  readonly requests: RecordedRequest[] = [];
  readonly validationErrors: string[] = [];
  flowRuns: StandInFlowRun[] = [];
  /** Work pools by name; a pool not listed exists with its defaults (not paused, no limit). */
  pools: Record<string, StandInPool> = {};
  /** Deployments by id; one not listed answers 404. */
  deployments: Record<string, StandInDeployment> = {};
  serverVersion: ServerVersion = '3.6.28';
  /** The server's clock for state timestamps. */
  now: () => Date = () => new Date();
  readonly afterRequest: ((request: RecordedRequest) => void)[] = [];
  private readonly faults: Fault[] = [];
  private readonly routes: { method: string; pattern: RegExp; names: string[]; handler: RouteHandler }[] = [];

  private constructor(
    private readonly server: http.Server,
    /** The Authorization header the server demands; undefined accepts anything. */
    public expectedAuthorization?: string,
  ) {
    this.on('POST', '/flow_runs/count', (request) => this.filtered(request, (body) => matchingRuns(this.flowRuns, body).length));
    this.on('POST', '/flow_runs/filter', (request) => this.filtered(request, (body) => listRuns(this.flowRuns, body).map(flowRunResponse)));
    this.on('GET', '/flow_runs/{id}', (_r, { id }) => {
      const run = this.flowRuns.find((r) => r.id === id);
      return run ? { status: 200, body: flowRunResponse(run) } : { status: 404, body: { detail: 'Flow run not found' } };
    });
    this.on('POST', '/flow_runs/{id}/set_state', (request, { id }) => {
      const run = this.flowRuns.find((r) => r.id === id);
      return run ? this.propose(run, request.body as Proposal) : { status: 404, body: { detail: 'Flow run not found' } };
    });
    this.on('GET', '/deployments/{id}', (_r, { id }) => {
      const d = this.deployments[id!];
      if (!d) return { status: 404, body: { detail: 'Deployment not found' } };
      const limit = d.concurrency_limit ?? null;
      return {
        status: 200,
        body: {
          id,
          name: `deployment-${id}`,
          flow_id: '00000000-0000-4000-8000-00000000f10e',
          concurrency_limit: limit,
          global_concurrency_limit: limit === null ? null : { id: `gcl-${id}`, name: `deployment:${id}`, limit, active: true, active_slots: 0, slot_decay_per_second: 0 },
          concurrency_options: d.grace_period_seconds ? { collision_strategy: 'ENQUEUE', grace_period_seconds: d.grace_period_seconds } : null,
        },
      };
    });
    this.on('GET', '/work_pools/{name}', (_r, { name }) => ({ status: 200, body: this.poolResponse(name!) }));
    this.on('POST', '/work_pools/{name}/queues/filter', (request, { name }) => {
      const { offset = 0, limit = 200 } = (request.body ?? {}) as { offset?: number; limit?: number };
      return { status: 200, body: this.queuesOf(name!).slice(offset, offset + limit).map((q) => ({ ...q, id: `queue-${q.name}`, created: null, updated: null })) };
    });
  }

  /** A state proposal under Prefect's rules (prefectOrchestration.ts), as a worker or a Lambda sends it. */
  propose(run: StandInFlowRun, proposal: Proposal): { status: number; body: unknown } {
    return setState(run, proposal, this.now(), { deploymentLimit: (id) => this.deployments[id]?.concurrency_limit, pendingSubStates: this.serverVersion === '3.6.28' });
  }

  /** Answers a flow-run filter request, or 422 when `serverVersion` lacks one of its keys. */
  private filtered(request: RecordedRequest, answer: (body: FlowRunsBody) => unknown): { status: number; body: unknown } {
    const body = request.body as FlowRunsBody;
    const unknown = unknownFilterKeys(this.serverVersion, body);
    if (unknown.length > 0) return { status: 422, body: extraKeysRejected(this.serverVersion, unknown, body) };
    return { status: 200, body: answer(body) };
  }

  private queuesOf(pool: string): StandInQueue[] {
    const explicit = this.pools[pool]?.queues;
    if (explicit) return explicit;
    const names = new Set(['default', ...this.flowRuns.filter((r) => r.work_pool_name === pool).map((r) => r.work_queue_name)]);
    return [...names].map((name) => ({ name, is_paused: false, concurrency_limit: null }));
  }

  private poolResponse(name: string) {
    const pool = this.pools[name] ?? {};
    return {
      id: `pool-${name}`,
      name,
      type: 'ecs',
      created: null,
      updated: null,
      is_paused: pool.is_paused ?? false,
      concurrency_limit: pool.concurrency_limit ?? null,
      status: pool.is_paused ? 'PAUSED' : 'NOT_READY',
    };
  }

  static async start(expectedAuthorization?: string): Promise<PrefectStandIn> {
    let standIn: PrefectStandIn | undefined;
    const server = http.createServer((req, res) => void standIn!.handle(req, res));
    standIn = new PrefectStandIn(server, expectedAuthorization);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return standIn;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${API_PREFIX}`;
  }

  /** Adds a route ahead of the others; returns a function that removes it. */
  on(method: string, template: string, handler: RouteHandler): () => void {
    const names = [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
    const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, '([^/]+)')}/?$`);
    const route = { method, pattern, names, handler };
    this.routes.unshift(route);
    return () => this.routes.splice(this.routes.indexOf(route), 1);
  }

  injectFault(fault: Fault): void {
    this.faults.push({ times: 1, ...fault });
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  requestsTo(path: string): RecordedRequest[] {
    return this.requests.filter((r) => r.path === path);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const path = url.pathname.startsWith(API_PREFIX) ? url.pathname.slice(API_PREFIX.length) : url.pathname;
    const method = req.method ?? 'GET';
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    const recorded: RecordedRequest = { method, path, body, authorization: req.headers.authorization, receivedAt: Date.now() };
    this.requests.push(recorded);

    const fault = this.faults.find((f) => (f.times ?? 0) > 0 && (!f.path || f.path.test(path)) && (!f.when || f.when(recorded)));
    if (fault) {
      fault.times = (fault.times ?? 1) - 1;
      if (fault.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
      if (fault.status !== undefined || fault.body !== undefined) {
        if (res.destroyed) return;
        res.writeHead(fault.status ?? 200, { 'content-type': 'application/json', ...fault.headers });
        res.end(fault.body ?? JSON.stringify({ detail: 'injected fault' }));
        return;
      }
    }
    if (res.destroyed) return;
    if (this.expectedAuthorization !== undefined && req.headers.authorization !== this.expectedAuthorization) {
      return send(res, 401, { detail: 'Unauthorized' });
    }
    const problems = validator.validate(method, path, body);
    if (problems.length > 0) {
      this.validationErrors.push(...problems.map((p) => `${method} ${path}: ${p}`));
      return send(res, 422, validationAnswer(problems, body));
    }
    for (const route of this.routes) {
      const match = route.method === method ? route.pattern.exec(path) : null;
      if (!match) continue;
      const params = Object.fromEntries(route.names.map((name, i) => [name, decodeURIComponent(match[i + 1]!)]));
      let answer: { status: number; body?: unknown };
      try {
        answer = await route.handler(recorded, params);
      } catch (error) {
        // A request the stand-in cannot judge is a test error, reported like a schema problem.
        this.validationErrors.push(`${method} ${path}: stand-in route failed: ${(error as Error).message}`);
        answer = { status: 500, body: { detail: `stand-in route failed: ${(error as Error).message}` } };
      }
      for (const hook of this.afterRequest) hook(recorded);
      return send(res, answer.status, answer.body);
    }
    send(res, 404, { detail: `stand-in has no route for ${method} ${path}` });
  }
}

/**
 * A Prefect 3 server's 422 (3.6.28:src/prefect/server/api/server.py:L199-L212): Prefect's own
 * shape, pydantic v2 items; an unknown field is `extra_forbidden` (ActionBaseModel
 * `extra="forbid"`, 3.6.28:src/prefect/server/schemas/actions.py:L63-L64).
 */
export function validationAnswer(problems: readonly string[], body: unknown) {
  // ajv repeats an unknown key as "must NOT have additional properties"; the server reports it once.
  const exception_detail = problems.filter((p) => !p.includes('must NOT have additional properties')).map((problem) => {
    const extra = /^unknown top-level key "(.+)"/.exec(problem)?.[1];
    return extra
      ? { type: 'extra_forbidden', loc: ['body', extra], msg: 'Extra inputs are not permitted', input: (body as Record<string, unknown>)[extra] }
      : { type: 'value_error', loc: ['body'], msg: problem };
  });
  return { exception_message: 'Invalid request received.', exception_detail, request_body: body };
}

function send(res: http.ServerResponse, status: number, body?: unknown): void {
  if (res.destroyed) return;
  if (body === undefined) {
    res.writeHead(status);
    res.end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
