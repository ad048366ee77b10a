/**
 * A local HTTP stand-in for the Prefect API on 127.0.0.1. Every request is validated against
 * Prefect's OpenAPI schema (problems collected in `validationErrors`, and answered with 422 as
 * the server would); faults can be injected (5xx, 429 with Retry-After, slow answers, invalid
 * JSON, 401). `POST /flow_runs/count` is answered from an in-memory list of flow runs with the
 * filter semantics the Lambdas rely on; other routes are added per test with `on()`.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { OpenApiValidator } from './openapiValidator';

export interface StandInFlowRun {
  readonly id: string;
  readonly work_pool_name: string;
  readonly work_queue_name: string;
  readonly state_type: 'SCHEDULED' | 'PENDING' | 'RUNNING' | 'COMPLETED' | 'FAILED' | 'CANCELLED' | 'CRASHED' | 'PAUSED' | 'CANCELLING';
  readonly state_name?: string;
  readonly next_scheduled_start_time?: string;
  readonly end_time?: string;
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
  private readonly faults: Fault[] = [];
  private readonly routes: { method: string; pattern: RegExp; names: string[]; handler: RouteHandler }[] = [];

  private constructor(
    private readonly server: http.Server,
    /** The Authorization header the server demands; undefined accepts anything. */
    public expectedAuthorization?: string,
  ) {
    this.on('POST', '/flow_runs/count', (request) => ({ status: 200, body: this.count(request.body as CountBody) }));
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
      try {
        const answer = await route.handler(recorded, params);
        return send(res, answer.status, answer.body);
      } catch (error) {
        return send(res, 500, { detail: `stand-in route failed: ${(error as Error).message}` });
      }
    }
    send(res, 404, { detail: `stand-in has no route for ${method} ${path}` });
  }

  /** The subset of FlowRunFilter semantics the Lambdas use; anything else is a test error. */
  private count(body: CountBody): number {
    const known = new Set(['work_pools', 'work_pool_queues', 'flow_runs']);
    const unknown = Object.keys(body ?? {}).filter((k) => !known.has(k) && (body as Record<string, unknown>)[k] != null);
    if (unknown.length) throw new Error(`filter keys the stand-in does not evaluate: ${unknown.join(', ')}`);
    const pools = body.work_pools?.name?.any_;
    const queues = body.work_pool_queues?.name?.any_;
    const runs = body.flow_runs ?? {};
    const types = runs.state?.type?.any_;
    const names = runs.state?.name?.any_;
    const before = runs.next_scheduled_start_time?.before_;
    const endedAfter = runs.end_time?.after_;
    return this.flowRuns.filter(
      (run) =>
        (!pools || pools.includes(run.work_pool_name)) &&
        (!queues || queues.includes(run.work_queue_name)) &&
        (!types || types.includes(run.state_type)) &&
        (!names || names.includes(run.state_name ?? '')) &&
        (!before || (run.next_scheduled_start_time !== undefined && Date.parse(run.next_scheduled_start_time) <= Date.parse(before))) &&
        (!endedAfter || (run.end_time !== undefined && Date.parse(run.end_time) >= Date.parse(endedAfter))),
    ).length;
  }
}

interface CountBody {
  work_pools?: { name?: { any_?: string[] } };
  work_pool_queues?: { name?: { any_?: string[] } };
  flow_runs?: {
    state?: { type?: { any_?: string[] }; name?: { any_?: string[] } };
    next_scheduled_start_time?: { before_?: string };
    end_time?: { after_?: string };
  };
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
