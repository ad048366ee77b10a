/** Flow and deployment routes on the Prefect stand-in, with the server's upsert semantics. */
import { randomUUID } from 'node:crypto';
import type { PrefectStandIn } from './prefectStandIn';

export interface StoredDeployment {
  id: string;
  name: string;
  flow_id: string;
  [field: string]: unknown;
}

export function addDeploymentRoutes(standIn: PrefectStandIn) {
  const flows = new Map<string, string>(); // name -> id
  const deployments = new Map<string, StoredDeployment>(); // flow_id/name -> deployment
  standIn.on('POST', '/flows/', (request) => {
    const name = (request.body as { name: string }).name;
    const existed = flows.has(name);
    if (!existed) flows.set(name, randomUUID());
    // POST /flows/ is idempotent by name: 200 with the existing flow.
    return { status: existed ? 200 : 201, body: { id: flows.get(name), name, created: null, updated: null, tags: [], labels: {} } };
  });
  standIn.on('GET', '/deployments/name/{flow_name}/{deployment_name}', (_r, { flow_name, deployment_name }) => {
    const found = deployments.get(`${flows.get(flow_name!)}/${deployment_name}`);
    return found ? { status: 200, body: found } : { status: 404, body: { detail: 'Deployment not found' } };
  });
  standIn.on('POST', '/deployments/', (request) => {
    const body = request.body as StoredDeployment;
    const key = `${body.flow_id}/${body.name}`;
    const existing = deployments.get(key);
    // Upsert on (flow_id, name): the fields given overwrite; omitted tags reset to empty.
    const saved: StoredDeployment = { tags: [], paused: false, ...(existing ?? {}), ...body, id: existing?.id ?? randomUUID() };
    if (!('tags' in body)) saved.tags = [];
    deployments.set(key, saved);
    return { status: existing ? 200 : 201, body: saved };
  });
  const byName = (flow: string, name: string) => deployments.get(`${flows.get(flow)}/${name}`);
  return { flows, deployments, byName };
}
