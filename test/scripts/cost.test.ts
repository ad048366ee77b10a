import { checkParameterValues } from '../../scripts/lib/parameters/values';
import { databaseMultiAz, estimate, resolveInputs, total, warnings } from '../../scripts/lib/cost/estimate';
import { conditionValues, type TemplateLogic } from '../../scripts/lib/validation/conditionLogic';
import { CostInputError } from '../../scripts/lib/errors';
import { buildServerStack } from '../../templates/stacks/server';
import { buildWorkerStack } from '../../templates/stacks/worker';

const server = buildServerStack();
const worker = buildWorkerStack();
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

  it('prices high availability: the API tasks, the background-services task, two Valkey nodes, the cache token and a Multi-AZ database', () => {
    const single = estimate('server', resolveInputs(server, {}));
    for (const [replicas, apiTasks] of [['2', 72.08], ['3', 108.12]] as const) {
      const lines = estimate('server', resolveInputs(server, { ServerReplicas: replicas }));
      expect(line(lines, 'Fargate: Prefect server')).toBe(apiTasks); // replicas x 36.04
      expect(line(lines, 'Fargate: background services')).toBe(36.04);
      expect(line(lines, 'ElastiCache for Valkey')).toBe(18.69); // 2 nodes x 730 h x 0.0128
      expect(line(lines, 'RDS PostgreSQL')).toBe(27.96); // DbMultiAz auto: Multi-AZ with 2+ replicas
      expect(line(lines, 'Secrets Manager')).toBe(1.25); // 3 secrets x 0.40 + 9k reads
    }
    expect(single.map((l) => l.item)).not.toContain('ElastiCache for Valkey');
    expect(line(estimate('server', resolveInputs(server, { ServerReplicas: '2', CacheNodeType: 'cache.t4g.small' })), 'ElastiCache for Valkey')).toBe(37.38);
    expect(line(estimate('server', resolveInputs(server, { ServerReplicas: '2', DbMultiAz: 'false' })), 'RDS PostgreSQL')).toBe(13.98);
  });

  it('warns when HA runs on a single-AZ database (sam deploy keeps DbMultiAz=false from before), and prices the HA alarms', () => {
    expect(warnings('server', resolveInputs(server, { ServerReplicas: '2', DbMultiAz: 'false' }))).toEqual([
      'ServerReplicas=2 with DbMultiAz=false: the API tasks are in two zones but the database is in one. Pass DbMultiAz=auto (or true) for a standby in a second zone; sam deploy keeps the previous value otherwise.',
    ]);
    for (const overrides of [{}, { ServerReplicas: '2' }, { ServerReplicas: '2', DbMultiAz: 'true' }, { DbMultiAz: 'false' }] as Record<string, string>[]) {
      expect(warnings('server', resolveInputs(server, overrides))).toEqual([]);
    }
    const detail = (overrides: Record<string, string>) => estimate('server', resolveInputs(server, overrides)).find((l) => l.item === 'CloudWatch metrics, alarms, dashboard')!.detail;
    expect(detail({})).toContain('10 alarms');
    expect(detail({ ServerReplicas: '2' })).toContain('13 alarms'); // + background services + 2 of target tracking
  });

  it('decides Multi-AZ as the template\'s DatabaseMultiAz Condition does', () => {
    const template = buildServerStack() as unknown as TemplateLogic;
    for (const DbMultiAz of ['auto', 'true', 'false']) {
      for (const ServerReplicas of ['1', '2', '3', '6']) {
        expect(databaseMultiAz({ DbMultiAz, ServerReplicas })).toBe(conditionValues(template, { DbMultiAz, ServerReplicas }).DatabaseMultiAz);
      }
    }
  });

  it('follows the configuration: Multi-AZ doubles the database, one NAT halves the gateways, endpoints replace them, your VPC costs nothing here', () => {
    expect(line(estimate('server', resolveInputs(server, { DbMultiAz: 'true' })), 'RDS PostgreSQL')).toBe(27.96);
    expect(line(estimate('server', resolveInputs(server, { NetworkMode: 'single-nat-gateway' })), 'NAT gateways')).toBe(35.1);
    expect(line(estimate('server', resolveInputs(server, { NetworkMode: 'vpc-endpoints' })), 'VPC endpoints')).toBe(58.9); // 8 x 730 h x 0.01 + 50 GB x 0.01
    expect(line(estimate('server', resolveInputs(server, { VpcId: 'vpc-0123456789abcdef0', PrivateSubnetIds: 'subnet-0123456789abcdef0,subnet-0fedcba9876543210' })), 'Network')).toBe(0);
  });

  it('costs a scale-to-zero worker stack only for the hours it works, and MinWorkers keeps workers paid', () => {
    const idle = estimate('worker', resolveInputs(worker, { WorkerHoursPerMonth: '0' }));
    expect(line(idle, 'Fargate: workers')).toBe(0);
    expect(line(estimate('worker', resolveInputs(worker, { MinWorkers: '1' })), 'Fargate: workers')).toBe(18.02);
    expect(line(estimate('worker', resolveInputs(worker, { UseFargateSpot: 'true' })), 'Fargate: workers')).toBeCloseTo(0.89, 2);
  });

  it.each<[string, 'worker' | 'server', Record<string, string>, RegExp]>([
    ['an unknown parameter', 'server', { Nope: '1' }, /^--param Nope is neither a template parameter nor a usage assumption/],
    ['a value the template does not allow', 'server', { DbInstanceClass: 'db.x1.huge' }, /^--param DbInstanceClass must be one of db\.t4g\.micro/],
    ['negative storage', 'server', { DbAllocatedStorage: '-100' }, /^--param DbAllocatedStorage must be at least 20 \(got "-100"\)$/],
    ['a negative worker count', 'worker', { MinWorkers: '-3' }, /^--param MinWorkers must be one of 0\|1\|.*\|10 \(got "-3"\)$/],
    ['a word for a worker count', 'worker', { MaxWorkers: 'abc' }, /^--param MaxWorkers must be a whole number from 1 to 100 .*\(got "abc"\)$/],
    ['a word for a Number', 'worker', { SubmissionsPerWorker: 'many' }, /^--param SubmissionsPerWorker must be a number \(got "many"\)$/],
    ['a negative usage', 'server', { DataGbPerMonth: '-1' }, /^--param DataGbPerMonth must be a non-negative number/],
    ['a usage that is not a number', 'worker', { LogGbPerMonth: '' }, /^--param LogGbPerMonth must be a non-negative number \(got ""\)$/],
    ['more worker-hours than MaxWorkers can run in a month', 'worker', { WorkerHoursPerMonth: '5000' }, /^--param WorkerHoursPerMonth=5000 is more than MaxWorkers=3 can run in a month \(3 x 730 h = 2190 h\)/],
    ['more workers kept than MaxWorkers allows (the template\'s Rules)', 'worker', { MinWorkers: '9', MaxWorkers: '2' }, /^rule MinWorkersAtMostMaxWorkers fails for MinWorkers=9, MaxWorkers=2/],
    ['more workers kept than the default MaxWorkers allows', 'worker', { MinWorkers: '9' }, /^rule MinWorkersAtMostMaxWorkers fails for MinWorkers=9 with the defaults of the parameters not given: MaxWorkers is 3/],
    ['an internet-facing load balancer the default empty certificate leaves in clear text', 'server', { LoadBalancerScheme: 'internet-facing' }, /^rule InternetFacingNeedsHttps fails for LoadBalancerScheme=internet-facing with the defaults/],
    ['a combination the Rules reject', 'server', { CertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b', ServerDomainName: '' }, /^rule HttpsNeedsDomainAndZone fails for CertificateArn=arn:aws:acm:.*, ServerDomainName= with the defaults of the parameters not given: With CertificateArn, give ServerDomainName/],
  ])('rejects %s, naming it', (_name, stack, overrides, message) => {
    const template = stack === 'server' ? server : worker;
    expect(() => resolveInputs(template, overrides)).toThrow(message);
  });

  it('prices the defaults although a rule needs a value only the deployer has (the worker stack\'s Prefect credential)', () => {
    const defaults = Object.fromEntries(Object.entries(worker.Parameters ?? {}).flatMap(([name, p]) => (p.Default === undefined ? [] : [[name, String(p.Default)]])));
    expect(() => checkParameterValues(worker, defaults)).toThrow(/^rule CredentialGivenOnce fails/);
    expect(estimate('worker', resolveInputs(worker, {})).length).toBeGreaterThan(0);
  });

  it('prices as many worker-hours as MaxWorkers can run, and no more', () => {
    expect(line(estimate('worker', resolveInputs(worker, { WorkerHoursPerMonth: '2190' })), 'Fargate: workers')).toBeGreaterThan(0);
    expect(() => resolveInputs(worker, { WorkerHoursPerMonth: '2191' })).toThrow(CostInputError);
  });
});
