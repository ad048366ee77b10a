/**
 * A monthly cost estimate for a stack configuration: pure, from the template's parameter
 * defaults overridden by the caller's values, plus a few usage assumptions (named, overridable).
 */
import { FARGATE_SIZES } from '../../../templates/core/constants';
import { EndpointRes } from '../../../templates/core/ids';
import { CostInputError } from '../errors';
import { checkParameterValues, type CheckedTemplate } from '../parameters/values';
import { HOURS_PER_MONTH, PRICES } from './pricing';

export interface CostLine {
  readonly item: string;
  readonly detail: string;
  readonly monthly: number;
}

/** Usage the templates do not fix; each can be overridden with --param NAME=VALUE. */
export const USAGE_DEFAULTS: Readonly<Record<string, string>> = {
  /** Worker-hours a month (the scaler's hourly-ETL trace: ~27 a week); MinWorkers x 730 h when that is more. */
  WorkerHoursPerMonth: '120',
  /** Traffic through NAT gateways or endpoints: mostly image pulls at worker starts. */
  DataGbPerMonth: '50',
  LogGbPerMonth: '1',
  /** Average load balancer capacity units (a quiet UI and API is well under 1). */
  AlbLcu: '0.2',
  EcrGb: '1',
};

/** A usage assumption is a plain non-negative number ("", "1e3" and "0x10" are not). */
const NON_NEGATIVE = /^\d+(\.\d+)?$/;

/**
 * The values to price: usage assumptions, the template's defaults, the caller's overrides. Each
 * override is checked as CloudFormation would check it (type, range, allowed values, the
 * template's Rules for the values given over the defaults), and the usage must fit the configuration.
 */
export function resolveInputs(template: CheckedTemplate, overrides: Readonly<Record<string, string>>): Record<string, string> {
  const parameters = template.Parameters ?? {};
  const templateValues: Record<string, string> = {};
  const usage: Record<string, string> = {};
  for (const [name, value] of Object.entries(overrides)) {
    if (name in parameters) templateValues[name] = value;
    else if (name in USAGE_DEFAULTS) usage[name] = value;
    else throw new CostInputError(`--param ${name} is neither a template parameter nor a usage assumption (${Object.keys(USAGE_DEFAULTS).join(', ')})`);
  }
  for (const [name, value] of Object.entries(usage)) {
    if (!NON_NEGATIVE.test(value)) throw new CostInputError(`--param ${name} must be a non-negative number (got ${JSON.stringify(value)})`);
  }
  const defaults: Record<string, string> = {};
  for (const [name, p] of Object.entries(parameters)) if (p.Default !== undefined) defaults[name] = String(p.Default);
  // A priced configuration is the given values on top of the defaults: decide the Rules for it.
  checkParameterValues(template, templateValues, { defaults });
  const values: Record<string, string> = { ...USAGE_DEFAULTS, ...defaults };
  Object.assign(values, templateValues, usage);
  checkWorkerCapacity(values);
  return values;
}

/** Worker-hours beyond what MaxWorkers can run in a month are not a configuration, they are a typo. */
function checkWorkerCapacity(values: Readonly<Record<string, string>>): void {
  const max = Number(values.MaxWorkers);
  const hours = Number(values.WorkerHoursPerMonth);
  const capacity = max * HOURS_PER_MONTH;
  if (hours > capacity) {
    throw new CostInputError(`--param WorkerHoursPerMonth=${hours} is more than MaxWorkers=${max} can run in a month (${max} x ${HOURS_PER_MONTH} h = ${capacity} h): raise MaxWorkers or lower the hours`);
  }
}

const round = (n: number) => Math.round(n * 100) / 100;

function fargateHourly(size: string, spot: boolean): number {
  if (!FARGATE_SIZES.includes(size)) throw new CostInputError(`size ${size} is not a Fargate cpu/memory pair`);
  const [cpu, memory] = size.split('/').map(Number) as [number, number];
  const onDemand = (cpu / 1024) * PRICES.fargate.vcpuHour + (memory / 1024) * PRICES.fargate.gbHour;
  return spot ? onDemand * (1 - PRICES.fargateSpotDiscount) : onDemand;
}

export function estimate(stack: 'worker' | 'server', v: Record<string, string>): CostLine[] {
  const lines: CostLine[] = [];
  const add = (item: string, detail: string, monthly: number) => lines.push({ item, detail, monthly: round(monthly) });
  const num = (name: string) => Number(v[name]);

  const workerHours = Math.max(num('WorkerHoursPerMonth'), num('MinWorkers') * HOURS_PER_MONTH);
  const spot = v.UseFargateSpot === 'true';
  add('Fargate: workers', `${workerHours} h x ${v.WorkerSize}${spot ? ' on Spot' : ''} (scale to zero; flow-run tasks are your workload, not counted)`, workerHours * fargateHourly(v.WorkerSize!, spot));

  const scalerInvocations = 60 * HOURS_PER_MONTH * 1.5; // the 1-minute tick plus task events
  add('Lambda: scaler, registrar, work pool', `${Math.round(scalerInvocations)} invocations, ~0.3 s at 256 MB arm64`,
    (scalerInvocations / 1e6) * PRICES.lambda.requestPerMillion + scalerInvocations * 0.3 * 0.25 * PRICES.lambda.arm64GbSecond);
  const replicas = stack === 'server' ? serverReplicas(v) : 0;
  // The server's auth string and, in HA mode, the cache's AUTH token; RDS's own secret is RDS's.
  const secrets = stack === 'server' ? (replicas >= 2 ? 3 : 2) : v.PrefectAuthMode === 'none' ? 0 : 1;
  const webhook = v.EnableScalerWebhook === 'true' ? 1 : 0;
  add('Secrets Manager', `${secrets + webhook} secret(s), ~9k reads (5-minute cache)`, (secrets + webhook) * PRICES.secretsManager.secretMonth + 0.9 * PRICES.secretsManager.per10kCalls);
  add('CloudWatch Logs', `${v.LogGbPerMonth} GB ingested and kept`, num('LogGbPerMonth') * (PRICES.logs.ingestGb + PRICES.logs.storeGbMonth));
  // HA adds the background-services alarm and the two alarms target tracking creates.
  const alarms = stack === 'server' ? (replicas >= 2 ? 13 : 10) : 5;
  add('CloudWatch metrics, alarms, dashboard', `9 scaler metrics, ${alarms} alarms, 1 dashboard (Container Insights not included)`,
    9 * PRICES.cloudWatch.metricMonth + alarms * PRICES.cloudWatch.alarmMonth + PRICES.cloudWatch.dashboardMonth);
  add('KMS key', 'the alarm topic\'s customer managed key (alarm traffic is within the free requests)', PRICES.kms.keyMonth);
  if (v.EcrRepositoryName) add('ECR storage', `${v.EcrGb} GB`, num('EcrGb') * PRICES.ecr.gbMonth);
  if (stack === 'worker') return lines;

  const serverTask = HOURS_PER_MONTH * fargateHourly(v.ServerSize!, false);
  if (replicas === 1) {
    add('Fargate: Prefect server', `1 task x ${v.ServerSize}, always on`, serverTask);
  } else {
    add('Fargate: Prefect server', `${replicas} API tasks x ${v.ServerSize}, always on (autoscaling above ServerReplicas, up to ${v.ServerMaxReplicas}, is not counted)`, replicas * serverTask);
    add('Fargate: background services', `1 task x ${v.ServerSize}, always on (it also runs the migrations)`, serverTask);
    const node = PRICES.elastiCache.valkeyNodeHour[v.CacheNodeType!];
    if (node === undefined) throw new CostInputError(`no price for CacheNodeType ${v.CacheNodeType}`);
    add('ElastiCache for Valkey', `2 x ${v.CacheNodeType} (primary and replica in two zones; no backups, replication traffic not counted)`, 2 * HOURS_PER_MONTH * node);
  }
  const instance = PRICES.rds.instanceHour[v.DbInstanceClass!];
  if (instance === undefined) throw new CostInputError(`no price for DbInstanceClass ${v.DbInstanceClass}`);
  const multiAz = databaseMultiAz(v) ? 2 : 1;
  add('RDS PostgreSQL', `${v.DbInstanceClass}${multiAz === 2 ? ' Multi-AZ' : ''}, ${v.DbAllocatedStorage} GB gp3 (backups within the free allowance)`,
    multiAz * (HOURS_PER_MONTH * instance + num('DbAllocatedStorage') * PRICES.rds.gp3GbMonth));
  add('Application Load Balancer', `${v.AlbLcu} LCU on average`, HOURS_PER_MONTH * (PRICES.alb.hour + num('AlbLcu') * PRICES.alb.lcuHour));
  if (v.VpcId) {
    add('Network', 'your VPC: its NAT gateways or endpoints are not counted', 0);
  } else if (v.NetworkMode === 'vpc-endpoints') {
    const endpoints = Object.keys(EndpointRes).length;
    add('VPC endpoints', `${endpoints} interface endpoints in one zone + S3 gateway (free), ${v.DataGbPerMonth} GB`,
      endpoints * HOURS_PER_MONTH * PRICES.interfaceEndpoint.hourPerZone + num('DataGbPerMonth') * PRICES.interfaceEndpoint.gb);
  } else {
    const gateways = v.NetworkMode === 'single-nat-gateway' ? 1 : 2;
    add('NAT gateways', `${gateways} x NAT gateway, ${v.DataGbPerMonth} GB processed`, gateways * HOURS_PER_MONTH * PRICES.natGateway.hour + num('DataGbPerMonth') * PRICES.natGateway.gb);
  }
  return lines;
}

/** ServerReplicas (1 = one server task; 2 or more = high availability). */
function serverReplicas(v: Record<string, string>): number {
  const replicas = Number(v.ServerReplicas ?? '1');
  if (!Number.isInteger(replicas) || replicas < 1) throw new CostInputError(`ServerReplicas must be a whole number of 1 or more (got ${JSON.stringify(v.ServerReplicas)})`);
  return replicas;
}

/** The server template's DatabaseMultiAz Condition: DbMultiAz true, or auto with ServerReplicas >= 2 (test/scripts/cost.test.ts holds them equal). */
export const databaseMultiAz = (v: Record<string, string>) => v.DbMultiAz === 'true' || (v.DbMultiAz === 'auto' && serverReplicas(v) >= 2);

export const total = (lines: readonly CostLine[]) => round(lines.reduce((sum, line) => sum + line.monthly, 0));

/**
 * What the estimate cannot price but a user should know about this configuration. sam deploy
 * keeps a parameter's previous value unless it is passed (UsePreviousValue), so a stack created
 * before DbMultiAz had "auto" keeps "false" when it moves to ServerReplicas 2.
 */
export function warnings(stack: 'worker' | 'server', v: Record<string, string>): string[] {
  if (stack !== 'server' || serverReplicas(v) < 2 || v.DbMultiAz !== 'false') return [];
  return [`ServerReplicas=${v.ServerReplicas} with DbMultiAz=false: the API tasks are in two zones but the database is in one. Pass DbMultiAz=auto (or true) for a standby in a second zone; sam deploy keeps the previous value otherwise.`];
}
