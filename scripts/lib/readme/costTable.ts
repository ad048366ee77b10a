/** The README's cost table: each row is `npm run cost -- --json` for one configuration. */
import type { ScratchProject } from '../scratchProject';

interface CostResult {
  readonly lines: readonly { readonly item: string; readonly monthly: number }[];
  readonly totalMonthly: number;
}

interface CostRow {
  readonly label: string;
  readonly stack: 'worker' | 'server';
  readonly params: readonly string[];
  /** The figure shown; the default is the total. */
  readonly figure?: (result: CostResult, defaults: CostResult) => string;
}

const usd = (n: number) => `$${n.toFixed(2)}`;
const sum = (result: CostResult, items: readonly string[]) => result.lines.filter((l) => items.includes(l.item)).reduce((s, l) => s + l.monthly, 0);

const SUBNETS = 'PrivateSubnetIds=subnet-0123456789abcdef0,subnet-0fedcba9876543210';

export const COST_ROWS: readonly CostRow[] = [
  { label: 'worker stack, defaults (scale to zero, 120 worker-hours, Prefect Cloud)', stack: 'worker', params: [] },
  { label: 'server stack, defaults (new VPC, 2 NAT gateways, 1 vCPU/2 GB server, db.t4g.micro, internal ALB)', stack: 'server', params: [] },
  {
    label: 'of which server + database + load balancer (what guides quote)',
    stack: 'server',
    params: [],
    figure: (r) => usd(sum(r, ['Fargate: Prefect server', 'RDS PostgreSQL', 'Application Load Balancer'])),
  },
  { label: 'server stack in your VPC (its NAT not counted)', stack: 'server', params: ['VpcId=vpc-0123456789abcdef0', SUBNETS] },
  {
    label: 'server stack with VPC endpoints instead of NAT gateways',
    stack: 'server',
    params: ['NetworkMode=vpc-endpoints'],
    figure: (r, defaults) => `${usd(r.totalMonthly)} (endpoints ${usd(sum(r, ['VPC endpoints']))} vs 2 NAT gateways ${usd(sum(defaults, ['NAT gateways']))})`,
  },
  { label: 'cheapest sound: one NAT gateway, 0.5 vCPU/2 GB server, Spot workers', stack: 'server', params: ['NetworkMode=single-nat-gateway', 'ServerSize=512/2048', 'UseFargateSpot=true'] },
  {
    label: 'high availability: 2 API tasks, background-services task, 2 Valkey nodes, Multi-AZ database',
    stack: 'server',
    params: ['ServerReplicas=2'],
    figure: (r, defaults) => `${usd(r.totalMonthly)} (${usd(r.totalMonthly - defaults.totalMonthly)} more than one task)`,
  },
  {
    label: 'high availability with 3 API tasks',
    stack: 'server',
    params: ['ServerReplicas=3'],
    figure: (r, defaults) => `${usd(r.totalMonthly)} (${usd(r.totalMonthly - defaults.totalMonthly)} more than one task)`,
  },
];

const costArgs = (row: CostRow) => ['--stack', row.stack, ...row.params.flatMap((p) => ['--param', p])];

export async function renderCostTable(project: ScratchProject): Promise<string> {
  const run = async (row: CostRow) => JSON.parse(await project.npmOk('cost', [...costArgs(row), '--json'])) as CostResult;
  const results = await Promise.all(COST_ROWS.map(run));
  const defaults = results[COST_ROWS.findIndex((r) => r.stack === 'server' && r.params.length === 0)]!;
  const rows = COST_ROWS.map((row, i) => {
    const command = `\`npm run cost -- ${costArgs(row).join(' ')}\``;
    return `| ${row.label} | ${(row.figure ?? ((r) => usd(r.totalMonthly)))(results[i]!, defaults)} | ${command} |`;
  });
  return ['| configuration | per month | command |', '| --- | --- | --- |', ...rows].join('\n');
}
