import { estimate, resolveInputs, total } from '../../scripts/lib/cost/estimate';
import { CostInputError } from '../../scripts/lib/errors';
import { buildServerStack } from '../../templates/stacks/server';
import { buildWorkerStack } from '../../templates/stacks/worker';

const server = buildServerStack().Parameters as never;
const worker = buildWorkerStack().Parameters as never;
const line = (lines: ReturnType<typeof estimate>, item: string) => lines.find((l) => l.item === item)!.monthly;

describe('cost estimate', () => {
  it('prices the default server configuration item by item', () => {
    const lines = estimate('server', resolveInputs(server, {}));
    expect(line(lines, 'Fargate: Prefect server')).toBe(36.04); // 730 h x (1 vCPU x 0.04048 + 2 GB x 0.004445)
    expect(line(lines, 'RDS PostgreSQL')).toBe(13.98); // 730 h x 0.016 + 20 GB x 0.115
    expect(line(lines, 'Application Load Balancer')).toBe(17.59); // 730 h x (0.0225 + 0.2 LCU x 0.008)
    expect(line(lines, 'NAT gateways')).toBe(67.95); // 2 x 730 h x 0.045 + 50 GB x 0.045
    expect(total(lines)).toBe(Math.round(lines.reduce((s, l) => s + l.monthly, 0) * 100) / 100);
  });

  it('follows the configuration: Multi-AZ doubles the database, one NAT halves the gateways, endpoints replace them, your VPC costs nothing here', () => {
    expect(line(estimate('server', resolveInputs(server, { DbMultiAz: 'true' })), 'RDS PostgreSQL')).toBe(27.96);
    expect(line(estimate('server', resolveInputs(server, { NetworkMode: 'single-nat-gateway' })), 'NAT gateways')).toBe(35.1);
    expect(line(estimate('server', resolveInputs(server, { NetworkMode: 'vpc-endpoints' })), 'VPC endpoints')).toBe(58.9); // 8 x 730 h x 0.01 + 50 GB x 0.01
    expect(line(estimate('server', resolveInputs(server, { VpcId: 'vpc-0123456789abcdef0' })), 'Network')).toBe(0);
  });

  it('costs a scale-to-zero worker stack only for the hours it works, and MinWorkers keeps workers paid', () => {
    const idle = estimate('worker', resolveInputs(worker, { WorkerHoursPerMonth: '0' }));
    expect(line(idle, 'Fargate: workers')).toBe(0);
    expect(line(estimate('worker', resolveInputs(worker, { MinWorkers: '1' })), 'Fargate: workers')).toBe(18.02);
    expect(line(estimate('worker', resolveInputs(worker, { UseFargateSpot: 'true' })), 'Fargate: workers')).toBeCloseTo(0.89, 2);
  });

  it.each<[string, Record<string, string>, RegExp]>([
    ['an unknown parameter', { Nope: '1' }, /--param Nope is neither a template parameter nor a usage assumption/],
    ['a value the template does not allow', { DbInstanceClass: 'db.x1.huge' }, /--param DbInstanceClass must be one of db\.t4g\.micro/],
    ['a negative usage', { DataGbPerMonth: '-1' }, /--param DataGbPerMonth must be a non-negative number/],
  ])('rejects %s', (_name, overrides, message) => {
    expect(() => resolveInputs(server, overrides)).toThrow(CostInputError);
    expect(() => resolveInputs(server, overrides)).toThrow(message);
  });
});
