/**
 * What CloudFormation rejects before it creates anything: parameter patterns and allowed values,
 * and the Rules, evaluated by scripts/lib/validation/conditionLogic.ts (its semantics cite the
 * AWS docs). Defects 2, 5 and 7 of issue 9.
 */
import { failedAssertions, type TemplateLogic } from '../../scripts/lib/validation/conditionLogic';
import { defaultValues } from '../../scripts/lib/validation/parameterMatrix';
import { PARAMETER_SAMPLES } from '../../scripts/lib/validation/parameterSamples';
import { buildServerStack } from '../../templates/stacks/server';
import { buildWorkerStack } from '../../templates/stacks/worker';

const worker = buildWorkerStack() as unknown as TemplateLogic & { Parameters: Record<string, { AllowedPattern?: string; AllowedValues?: unknown[] }> };
const server = buildServerStack() as unknown as typeof worker;
const workerValues = (overrides: Record<string, string>) => ({ ...defaultValues(worker), PrefectAuthValue: 'pnu_x', ...overrides });
const serverValues = (overrides: Record<string, string>) => ({ ...defaultValues(server), ...overrides });
const rejected = (template: TemplateLogic, values: Record<string, string>) => failedAssertions(template, values).map((f) => f.description);
/** What CloudFormation checks of one parameter value: AllowedValues, then the whole-value AllowedPattern. */
const accepts = (template: typeof worker, name: string, value: string) => {
  const p = template.Parameters[name]!;
  return (!p.AllowedValues || p.AllowedValues.map(String).includes(value)) && (!p.AllowedPattern || new RegExp(p.AllowedPattern).test(value));
};

describe('defect 7: combinations the README says CloudFormation rejects', () => {
  it('rejects MinWorkers above MaxWorkers, for every pair of allowed values, and accepts every other pair', () => {
    const wrong: string[] = [];
    for (let min = 0; min <= 10; min++) {
      for (let max = 1; max <= 100; max++) {
        const failed = rejected(worker, workerValues({ MinWorkers: String(min), MaxWorkers: String(max) }));
        if ((failed.length > 0) !== min > max) wrong.push(`${min}/${max}: ${failed.join('; ') || 'accepted'}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(rejected(worker, workerValues({ MinWorkers: '5', MaxWorkers: '3' }))).toEqual(['MaxWorkers is 3: MinWorkers must be 3 or less.']);
  });

  it('takes MinWorkers 0-10 and MaxWorkers 1-100 in one spelling each (the Rule compares text)', () => {
    expect(['0', '10'].every((v) => accepts(worker, 'MinWorkers', v))).toBe(true);
    expect(['11', '-1', '01'].some((v) => accepts(worker, 'MinWorkers', v))).toBe(false);
    expect(['1', '9', '10', '100'].every((v) => accepts(worker, 'MaxWorkers', v))).toBe(true);
    expect(['0', '03', '101', '3.0', ' 3'].some((v) => accepts(worker, 'MaxWorkers', v))).toBe(false);
  });

  it('rejects more than 10 WatchedRepositories (the registrar role names 10 plus the created one)', () => {
    const repositories = (n: number) => Array.from({ length: n }, (_, i) => `flows/repo-${i}`).join(',');
    expect(accepts(worker, 'WatchedRepositories', repositories(10))).toBe(true);
    expect(accepts(worker, 'WatchedRepositories', repositories(11))).toBe(false);
    expect(accepts(worker, 'WatchedRepositories', 'flows/a, flows/b')).toBe(false);
    expect(accepts(worker, 'WatchedRepositories', '')).toBe(true);
  });
});

describe('defect 2: Rules decide empty optional lists without Fn::Join', () => {
  it('the registrar needs its manifest parameter when it watches repositories', () => {
    expect(rejected(worker, workerValues({ WatchedRepositories: 'flows/etl' }))).toEqual([expect.stringContaining('give ManifestParameterName')]);
    expect(rejected(worker, workerValues({ WatchedRepositories: 'flows/etl', ManifestParameterName: '/m' }))).toEqual([]);
    expect(rejected(worker, workerValues({}))).toEqual([]);
  });

  it('an existing VPC needs PrivateSubnetIds, and PrivateSubnetIds need the VPC', () => {
    expect(rejected(server, serverValues({ VpcId: 'vpc-0123456789abcdef0' }))).toEqual([expect.stringContaining('give PrivateSubnetIds')]);
    expect(rejected(server, serverValues({ PrivateSubnetIds: 'subnet-01234567,subnet-89abcdef' }))).toEqual([expect.stringContaining('belong to an existing VPC')]);
    expect(rejected(server, serverValues({ VpcId: 'vpc-0123456789abcdef0', PrivateSubnetIds: 'subnet-01234567,subnet-89abcdef' }))).toEqual([]);
    expect(accepts(server, 'PrivateSubnetIds', 'subnet-01234567')).toBe(false);
  });
});

describe('defect 5: an internet-facing load balancer the stack\'s own clients can reach, over HTTPS only', () => {
  const https = { CertificateArn: PARAMETER_SAMPLES.CertificateArn![0]!, ServerDomainName: 'prefect.example.com', HostedZoneId: 'Z0123456789ABCDEFGHIJ' };
  const internetFacing = { LoadBalancerScheme: 'internet-facing' };

  it('accepts it in the VPC the stack creates with NAT gateways, with a certificate, domain and zone', () => {
    expect(rejected(server, serverValues({ ...internetFacing, ...https }))).toEqual([]);
    expect(rejected(server, serverValues({ ...internetFacing, ...https, NetworkMode: 'single-nat-gateway' }))).toEqual([]);
  });

  it('refuses it with vpc-endpoints, in an existing VPC, or without a certificate', () => {
    expect(rejected(server, serverValues({ ...internetFacing, ...https, NetworkMode: 'vpc-endpoints' }))).toEqual([expect.stringContaining('without internet (vpc-endpoints)')]);
    expect(rejected(server, serverValues({ ...internetFacing, ...https, VpcId: 'vpc-0123456789abcdef0', PrivateSubnetIds: 'subnet-01234567,subnet-89abcdef' }))).toEqual([
      expect.stringContaining('needs the VPC the stack creates'),
    ]);
    expect(rejected(server, serverValues(internetFacing))).toEqual([expect.stringContaining('clear text')]);
  });

  it('defect 4: HTTPS needs the domain and the hosted zone where the stack creates its record, and they need HTTPS', () => {
    expect(rejected(server, serverValues({ CertificateArn: https.CertificateArn, ServerDomainName: https.ServerDomainName }))).toEqual([expect.stringContaining('give HostedZoneId')]);
    expect(rejected(server, serverValues({ HostedZoneId: https.HostedZoneId }))).toEqual([expect.stringContaining('give CertificateArn')]);
    expect(rejected(server, serverValues(https))).toEqual([]);
  });
});
