/**
 * A model of how a flow run's ECS task is configured from a work pool, for tests: Prefect's
 * template rendering (a value that is exactly "{{ name }}" becomes the variable's value; a
 * missing value drops the key) followed by the prefect-aws ECS worker's use of the rendered
 * job configuration (network_configuration becomes awsvpcConfiguration; cloudwatch_logs_options
 * are merged over the awslogs defaults; roles go to the task definition and the run request).
 */
import type { BaseJobTemplate } from '../../lambdas/work-pool/baseJobTemplate';

const PLACEHOLDER = /^\{\{\s*([\w.-]+)\s*\}\}$/;
const MISSING = Symbol('missing');

function render(value: unknown, variables: Record<string, unknown>): unknown {
  if (typeof value === 'string') {
    const match = PLACEHOLDER.exec(value);
    if (!match) return value;
    return match[1]! in variables && variables[match[1]!] !== undefined ? variables[match[1]!] : MISSING;
  }
  if (Array.isArray(value)) return value.map((item) => render(item, variables)).filter((item) => item !== MISSING);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      const rendered = render(inner, variables);
      if (rendered !== MISSING) out[key] = rendered;
    }
    return out;
  }
  return value;
}

export interface FlowRunTask {
  readonly cluster?: string;
  readonly launchType?: string;
  readonly executionRoleArn?: string;
  readonly taskRoleArn?: string;
  readonly awsvpcConfiguration?: { subnets?: string[]; securityGroups?: string[]; assignPublicIp?: string };
  readonly logOptions?: Record<string, string>;
  readonly secrets: { name: string; valueFrom: string }[];
}

/** What the ECS worker would send for a flow run of a deployment with these job variables. */
export function flowRunTask(template: BaseJobTemplate, jobVariables: Record<string, unknown> = {}): FlowRunTask {
  const defaults = Object.fromEntries(Object.entries(template.variables.properties).filter(([, v]) => 'default' in v).map(([k, v]) => [k, v.default]));
  const job = render(template.job_configuration, { ...defaults, ...jobVariables }) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  const network = job.network_configuration as FlowRunTask['awsvpcConfiguration'] | undefined;
  const secrets: FlowRunTask['secrets'] = [];
  if (job.prefect_api_key_secret_arn) secrets.push({ name: 'PREFECT_API_KEY', valueFrom: job.prefect_api_key_secret_arn });
  if (job.prefect_api_auth_string_secret_arn) secrets.push({ name: 'PREFECT_API_AUTH_STRING', valueFrom: job.prefect_api_auth_string_secret_arn });
  return {
    cluster: job.task_run_request?.cluster,
    launchType: job.task_run_request?.launchType,
    executionRoleArn: job.task_definition?.executionRoleArn,
    taskRoleArn: job.task_run_request?.overrides?.taskRoleArn,
    // Without network_configuration the worker falls back to the VPC's subnets (the default VPC's when vpc_id is unset).
    awsvpcConfiguration: network && Array.isArray(network.subnets) ? network : undefined,
    logOptions: job.configure_cloudwatch_logs
      ? { 'awslogs-create-group': 'true', 'awslogs-group': 'prefect', 'awslogs-stream-prefix': 'prefect', ...(job.cloudwatch_logs_options ?? {}) }
      : undefined,
    secrets,
  };
}
