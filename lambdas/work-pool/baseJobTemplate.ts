/**
 * The pure core: put the stack's network, roles, logs, launch type and credential into an ECS
 * base job template, as the defaults of the template's variables, and touch nothing else.
 *
 * `network_configuration` is the flat object `{subnets, securityGroups, assignPublicIp}` the
 * ECS worker reads (Prefect's CLI nests subnets where the worker does not look, and leaves
 * security groups out, so flow runs can land in every subnet with a public IP).
 */
import { InvalidBaseJobTemplateError } from './errors';
import type { PoolSettings } from './settings';

export interface BaseJobTemplate {
  job_configuration: Record<string, unknown>;
  variables: { type?: string; properties: Record<string, Record<string, unknown>>; required?: string[]; [key: string]: unknown };
}

/** The job-configuration fields of the ECS worker that carry the credential secret's ARN. */
const CREDENTIAL_FIELDS = { 'api-key': 'prefect_api_key_secret_arn', 'auth-string': 'prefect_api_auth_string_secret_arn' } as const;

/** Variables whose defaults this stack owns; a person's edits to any other variable are kept. */
export const OWNED_VARIABLES = [
  'cluster',
  'execution_role_arn',
  'task_role_arn',
  'vpc_id',
  'network_configuration',
  'configure_cloudwatch_logs',
  'cloudwatch_logs_options',
  'launch_type',
  ...Object.values(CREDENTIAL_FIELDS),
] as const;

export function ownedDefaults(s: PoolSettings): Record<string, unknown> {
  const defaults: Record<string, unknown> = {
    cluster: s.cluster,
    execution_role_arn: s.executionRoleArn,
    task_role_arn: s.taskRoleArn,
    vpc_id: s.vpcId,
    network_configuration: { subnets: [...s.subnets], securityGroups: [...s.securityGroups], assignPublicIp: s.assignPublicIp },
    configure_cloudwatch_logs: true,
    cloudwatch_logs_options: {
      'awslogs-group': s.logGroupName,
      'awslogs-region': s.region,
      'awslogs-stream-prefix': s.logStreamPrefix,
    },
    launch_type: s.launchType,
  };
  if (s.authMode !== 'none') defaults[CREDENTIAL_FIELDS[s.authMode]] = s.credentialSecretArn;
  return defaults;
}

const VARIABLE_SCHEMAS: Record<string, Record<string, unknown>> = {
  prefect_api_key_secret_arn: {
    title: 'Prefect API Key Secret ARN',
    description: 'Secrets Manager secret whose value flow runs receive as PREFECT_API_KEY (set by prefect-ecs-stack).',
    type: 'string',
  },
  prefect_api_auth_string_secret_arn: {
    title: 'Prefect API Auth String Secret ARN',
    description: 'Secrets Manager secret whose value flow runs receive as PREFECT_API_AUTH_STRING (set by prefect-ecs-stack).',
    type: 'string',
  },
};

/** A new template with the stack's defaults; the input is not changed. */
export function applyStackSettings(template: BaseJobTemplate, settings: PoolSettings): BaseJobTemplate {
  if (!template || typeof template !== 'object' || !template.job_configuration || !template.variables?.properties) {
    throw new InvalidBaseJobTemplateError('has no job_configuration or variables.properties');
  }
  const next = structuredClone(template);
  const defaults = ownedDefaults(settings);
  for (const name of OWNED_VARIABLES) {
    const variable = next.variables.properties[name];
    if (!(name in defaults)) {
      // The credential field of the other auth mode: the stack owns it too, so clear it.
      if (variable) delete variable.default;
      continue;
    }
    if (!variable) {
      if (!VARIABLE_SCHEMAS[name]) throw new InvalidBaseJobTemplateError(`has no "${name}" variable: is it an ECS (type "ecs") template?`);
      next.variables.properties[name] = { ...VARIABLE_SCHEMAS[name] };
    }
    next.variables.properties[name]!.default = defaults[name];
    if (!(name in next.job_configuration)) next.job_configuration[name] = `{{ ${name} }}`;
  }
  return next;
}

/** Whether the stack-owned defaults already hold (then the pool needs no update). */
export function ownsMatch(current: BaseJobTemplate, settings: PoolSettings): boolean {
  try {
    return JSON.stringify(applyStackSettings(current, settings)) === JSON.stringify(current);
  } catch {
    return false;
  }
}
