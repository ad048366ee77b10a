/**
 * Flow, deployment, block and variable routes on the Prefect stand-in, with the server's
 * semantics taken from its source (cited per rule). `version: 2` models a Prefect 2.20 server:
 * its DeploymentCreate fields and its pydantic v1 422 answers.
 */
import { randomUUID } from 'node:crypto';
import { normalizeRrule } from '../../lambdas/registrar/manifest/rruleAnchor';
import type { PrefectStandIn, RecordedRequest } from './prefectStandIn';

export interface StoredDeployment {
  id: string;
  name: string;
  flow_id: string;
  [field: string]: unknown;
}

/** 2.20.0:src/prefect/server/schemas/actions.py:L179-L280 (DeploymentCreate, `extra = "forbid"` at L70-L72). */
const PREFECT_2_CREATE_FIELDS = new Set([
  'name', 'flow_id', 'is_schedule_active', 'paused', 'schedules', 'enforce_parameter_schema', 'parameter_openapi_schema', 'parameters', 'tags',
  'pull_steps', 'manifest_path', 'work_queue_name', 'work_pool_name', 'storage_document_id', 'infrastructure_document_id', 'schedule',
  'description', 'path', 'version', 'entrypoint', 'job_variables', 'infra_overrides',
]);

/**
 * Prefect's 422 body (3.6.28:src/prefect/server/api/server.py:L199-L212; 2.20.0 L138-L149):
 * pydantic v2 items in 3.x, v1 items in 2.x.
 */
export function extraFieldsError(version: 2 | 3, fields: string[], body: unknown) {
  const exception_detail = fields.map((field) =>
    version === 3
      ? { type: 'extra_forbidden', loc: ['body', field], msg: 'Extra inputs are not permitted', input: (body as Record<string, unknown>)[field] }
      : { loc: ['body', field], msg: 'extra fields not permitted', type: 'value_error.extra' },
  );
  return { status: 422, body: { exception_message: 'Invalid request received.', exception_detail, request_body: body } };
}

/**
 * What the server stores for a schedule: defaults filled in as its schemas do
 * (3.6.28:src/prefect/server/schemas/schedules.py: IntervalSchedule anchor_date now and
 * timezone "UTC" L43-L116, CronSchedule day_or True L344-L387, RRuleSchedule timezone "UTC"
 * L549-L550; a bare rrule gets the DTSTART of normalize_rrule_string, validators.py:L313-L422, whose
 * port rruleAnchor.ts is checked against Prefect's own function in prefectParity.test.ts).
 */
function storedSchedule(item: Record<string, unknown>, deploymentId: string) {
  const s = { ...(item.schedule as Record<string, unknown>) };
  if ('interval' in s) Object.assign(s, { anchor_date: s.anchor_date ?? new Date().toISOString(), timezone: s.timezone ?? 'UTC' });
  if ('cron' in s) Object.assign(s, { day_or: s.day_or ?? true, timezone: s.timezone ?? null });
  if ('rrule' in s) Object.assign(s, { timezone: s.timezone ?? 'UTC', rrule: normalizeRrule(String(s.rrule), new Date()) });
  const now = new Date().toISOString();
  return { id: randomUUID(), created: now, updated: now, deployment_id: deploymentId, schedule: s, active: item.active ?? true, max_scheduled_runs: null, parameters: item.parameters ?? {}, slug: item.slug ?? null };
}

/**
 * The deployment's limit after a write, as 3.6.28's create_deployment leaves it: untouched when
 * `concurrency_limit` was not sent (models/deployments.py:L162, L237-L240); else
 * _create_or_update_deployment_concurrency_limit (L430-L458): null deletes the linked limit, a
 * number updates it or creates one named `deployment:<id>`. Answered as GlobalConcurrencyLimitResponse
 * (schemas/responses.py:L640-L657).
 */
function globalLimit(existing: StoredDeployment | undefined, id: string, requested: unknown): Record<string, unknown> | null {
  const current = (existing?.global_concurrency_limit as Record<string, unknown> | null | undefined) ?? null;
  if (requested === undefined) return current;
  if (requested === null) return null;
  if (current) return { ...current, limit: requested };
  const now = new Date().toISOString();
  return { id: randomUUID(), created: now, updated: now, active: true, name: `deployment:${id}`, limit: requested, active_slots: 0, slot_decay_per_second: 0 };
}

export function addDeploymentRoutes(standIn: PrefectStandIn, options: { version?: 2 | 3 } = {}) {
  const version = options.version ?? 3;
  const flows = new Map<string, string>(); // name -> id
  const deployments = new Map<string, StoredDeployment>(); // flow_id/name -> deployment
  const blocks = new Map<string, Record<string, unknown>>(); // slug/name -> data
  const variables = new Map<string, unknown>();
  standIn.on('POST', '/flows/', (request) => {
    const name = (request.body as { name: string }).name;
    const existed = flows.has(name);
    if (!existed) flows.set(name, randomUUID());
    // POST /flows/ is idempotent by name: 200 with the existing flow.
    return { status: existed ? 200 : 201, body: { id: flows.get(name), name, created: null, updated: null, tags: [], labels: {} } };
  });
  standIn.on('GET', '/deployments/name/{flow_name}/{deployment_name}', (_r, { flow_name, deployment_name }) => {
    const found = deployments.get(`${flows.get(flow_name!)}/${deployment_name}`);
    if (!found) return { status: 404, body: { detail: 'Deployment not found' } };
    // 2.17-2.20 answer the job variables as infra_overrides (2.20.0:src/prefect/_internal/compatibility/deprecated.py:L283-L322).
    if (version === 2) {
      const { job_variables, concurrency_limit: _c, global_concurrency_limit: _g, concurrency_options: _o, ...rest } = found;
      return { status: 200, body: { ...rest, infra_overrides: job_variables } };
    }
    return { status: 200, body: found };
  });
  standIn.on('POST', '/deployments/', (request: RecordedRequest) => {
    const body = request.body as StoredDeployment;
    if (version === 2) {
      const extra = Object.keys(body).filter((k) => !PREFECT_2_CREATE_FIELDS.has(k));
      if (extra.length > 0) return extraFieldsError(2, extra, body);
    }
    const key = `${body.flow_id}/${body.name}`;
    const existing = deployments.get(key);
    const id = existing?.id ?? randomUUID();
    // Upsert on (flow_id, name), writing only the fields given (3.6.28:src/prefect/server/models/deployments.py:L157-L192);
    // job_variables only when non-empty (L166-L168).
    const { job_variables, schedules, concurrency_limit, ...given } = body;
    const saved: StoredDeployment = {
      paused: false, tags: [], parameters: {}, job_variables: {}, concurrency_options: null, description: null,
      ...(existing ?? {}),
      ...given,
      id,
      // DeploymentResponse (3.6.28:src/prefect/server/schemas/responses.py:L433-L441): concurrency_limit
      // "Will always be None"; the limit is answered as global_concurrency_limit.
      concurrency_limit: null,
      global_concurrency_limit: globalLimit(existing, id, concurrency_limit),
      // Without a queue the pool's default queue (server/api/deployments.py:L146-L154).
      work_queue_name: (body.work_queue_name as string | undefined) ?? 'default',
      // Schedules are always replaced (models/deployments.py:L210-L235).
      schedules: ((schedules as Record<string, unknown>[] | undefined) ?? []).map((s) => storedSchedule(s, id)),
    };
    if (job_variables && Object.keys(job_variables as object).length > 0) saved.job_variables = job_variables;
    deployments.set(key, saved);
    return { status: existing ? 200 : 201, body: saved };
  });
  // 3.6.28:src/prefect/server/api/block_types.py:L180-L203: 404 "Block document not found".
  standIn.on('GET', '/block_types/slug/{slug}/block_documents/name/{block_document_name}', (_r, { slug, block_document_name }) => {
    const data = blocks.get(`${slug}/${block_document_name}`);
    return data ? { status: 200, body: { id: randomUUID(), name: block_document_name, data, block_schema_id: randomUUID(), block_type_id: randomUUID(), is_anonymous: false } } : { status: 404, body: { detail: 'Block document not found' } };
  });
  standIn.on('GET', '/variables/name/{name}', (_r, { name }) => {
    // 3.6.28:src/prefect/server/api/variables.py:L37-L44.
    if (!variables.has(name!)) return { status: 404, body: { detail: 'Variable not found.' } };
    return { status: 200, body: { id: randomUUID(), name, value: variables.get(name!), tags: [], created: null, updated: null } };
  });
  const byName = (flow: string, name: string) => deployments.get(`${flows.get(flow)}/${name}`);
  return { flows, deployments, blocks, variables, byName };
}
