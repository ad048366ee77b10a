import { PrefectEnv } from '../../lambdas/common/env';
import { toJson } from '../../templates/core/serialize';
import { buildServerStack } from '../../templates/stacks/server';
import { resolveUnder } from '../policy/resolve';
import { expectGolden } from '../support/stacks';
import { resourcesOfType, type Json } from '../support/template';

const template = buildServerStack() as unknown as Json;
const resources = template.Resources as Json;

/** Every ingress rule into a group: inline ones and separate SecurityGroupIngress resources. */
function ingressInto(groupId: string): Json[] {
  const inline = (resources[groupId].Properties.SecurityGroupIngress ?? []) as Json[];
  const separate = resourcesOfType(template, 'AWS::EC2::SecurityGroupIngress')
    .map(([, r]) => r.Properties)
    .filter((p) => JSON.stringify(p.GroupId) === JSON.stringify({ Ref: groupId }));
  return [...inline, ...separate];
}

describe('self-hosted server stack', () => {
  it('matches the golden file (UPDATE_GOLDEN=1 npm test rewrites it after an intended change)', () => {
    expectGolden('server.template.json', toJson(buildServerStack()));
  });

  it('keeps the database private, encrypted, backed up and protected', () => {
    const db = resources.Database;
    expect(db.Properties).toMatchObject({
      Engine: 'postgres',
      PubliclyAccessible: false,
      StorageEncrypted: true,
      ManageMasterUserPassword: true,
      DeletionProtection: true,
      Port: '5432',
      BackupRetentionPeriod: { Ref: 'DbBackupRetentionDays' },
      MultiAZ: { 'Fn::If': ['DatabaseMultiAz', true, false] },
      DBInstanceClass: { Ref: 'DbInstanceClass' },
    });
    expect(Number(db.Properties.EngineVersion.split('.')[0])).toBeGreaterThanOrEqual(16);
    expect(db.Properties).not.toHaveProperty('MasterUserPassword');
    expect(db.DeletionPolicy).toBe('Snapshot');
    expect(db.UpdateReplacePolicy).toBe('Snapshot');
    expect(template.Parameters.DbBackupRetentionDays.Default).toBe(7);
    expect(resources.DatabaseSubnetGroup.Properties.SubnetIds).toEqual({
      'Fn::If': ['HasPrivateSubnetIds', { 'Fn::Split': [',', { Ref: 'PrivateSubnetIds' }] }, [{ Ref: 'PrivateSubnet1' }, { Ref: 'PrivateSubnet2' }]],
    });
  });

  it('lets only the server security group reach PostgreSQL, and only the load balancer reach the server', () => {
    expect(ingressInto('DatabaseSecurityGroup')).toEqual([
      expect.objectContaining({ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, SourceSecurityGroupId: { Ref: 'ServerSecurityGroup' } }),
    ]);
    expect(ingressInto('ServerSecurityGroup')).toEqual([
      expect.objectContaining({ FromPort: 4200, ToPort: 4200, SourceSecurityGroupId: { Ref: 'LoadBalancerSecurityGroup' } }),
    ]);
    const natAddress = (zone: number) => ({ 'Fn::Sub': ['${Address}/32', { Address: { 'Fn::GetAtt': [`NatAddress${zone}`, 'PublicIp'] } }] });
    for (const rule of ingressInto('LoadBalancerSecurityGroup')) {
      expect(rule.CidrIp === undefined ? rule.SourceSecurityGroupId : rule.CidrIp).toBeDefined();
      if (rule.CidrIp !== undefined) expect([{ Ref: 'AllowedCidr' }, natAddress(1), natAddress(2)]).toContainEqual(rule.CidrIp);
    }
  });

  it('never puts a password or the auth string in an environment variable or the template', () => {
    const container = resources.ServerTaskDefinition.Properties.ContainerDefinitions[0];
    const env = Object.fromEntries(container.Environment.map((e: Json) => [e.Name, e.Value]));
    expect(env).toMatchObject({ PREFECT_SERVER_DATABASE_USER: 'prefect', PREFECT_SERVER_DATABASE_NAME: 'prefect', PREFECT_SERVER_DATABASE_DRIVER: 'postgresql+asyncpg' });
    expect(Object.keys(env).filter((name) => /PASSWORD|AUTH_STRING|API_KEY/.test(name))).toEqual([]);
    expect(container.Secrets.map((s: Json) => s.Name)).toEqual(['PREFECT_SERVER_DATABASE_PASSWORD', 'PREFECT_SERVER_API_AUTH_STRING']);
    expect(container.Secrets[0].ValueFrom).toEqual({ 'Fn::Sub': ['${Secret}:password::', { Secret: { 'Fn::GetAtt': ['Database', 'MasterUserSecret.SecretArn'] } }] });
    expect(resources.ServerAuthSecret.Properties.GenerateSecretString).toBeDefined();
    expect(JSON.stringify(template)).not.toMatch(/"(MasterUserPassword|SecretString)"/);
  });

  it('serves the API behind the load balancer with a health check on /api/health, internal by default', () => {
    expect(resources.ServerTargetGroup.Properties).toMatchObject({ HealthCheckPath: '/api/health', Port: 4200, TargetType: 'ip' });
    expect(template.Parameters.LoadBalancerScheme.Default).toBe('internal');
    expect(resources.HttpListener.Properties.DefaultActions['Fn::If'][0]).toBe('UseHttps');
    expect(resources.HttpListener.Properties.DefaultActions['Fn::If'][1][0]).toMatchObject({ Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS' } });
    expect(resources.HttpsListener.Condition).toBe('UseHttps');
  });

  it('runs the background services exactly once by default: one task, never two during a deployment', () => {
    const single = resolveUnder(template as never) as Json;
    expect(single.Resources.ServerService.Properties.DesiredCount).toBe(1);
    expect(single.Resources.ServerService.Properties.DeploymentConfiguration).toMatchObject({ MaximumPercent: 100, MinimumHealthyPercent: 0 });
    expect(single.Resources.ServerService.Properties.TaskDefinition).toEqual({ Ref: 'ServerTaskDefinition' });
    expect(single.Resources.ServerTaskDefinition.Properties.ContainerDefinitions[0].Command).toEqual(['prefect', 'server', 'start', '--host', '0.0.0.0', '--port', '4200']);
  });

  it('points the whole worker stack at the server with the shared auth string, Lambdas inside the VPC', () => {
    const worker = resources.WorkerTaskDefinition.Properties.ContainerDefinitions[0];
    const env = Object.fromEntries(worker.Environment.map((e: Json) => [e.Name, e.Value]));
    expect(env[PrefectEnv.ApiUrl]).toEqual({
      'Fn::If': ['UseHttps', { 'Fn::Sub': 'https://${ServerDomainName}/api' }, { 'Fn::Sub': 'http://${LoadBalancer.DNSName}/api' }],
    });
    expect(worker.Secrets).toEqual([{ Name: 'PREFECT_API_AUTH_STRING', ValueFrom: { Ref: 'ServerAuthSecret' } }]);
    for (const fn of ['ScalerFunction', 'WorkPoolFunction', 'RegistrarFunction']) {
      expect(resources[fn].Properties.VpcConfig.SecurityGroupIds).toEqual([{ Ref: 'LambdaSecurityGroup' }]);
      expect(resources[fn].Properties.Environment.Variables[PrefectEnv.AuthMode]).toBe('auth-string');
    }
    expect(resources.WorkPool.DependsOn).toEqual(['PrefectApiReady']);
    expect(template.Parameters).not.toHaveProperty('PrefectApiUrl');
    expect(template.Parameters).not.toHaveProperty('PrefectAuthValue');
  });

  it('creates a VPC with NAT gateways or VPC endpoints unless one is given', () => {
    expect(resources.Vpc.Condition).toBe('CreateVpc');
    expect(resources.NatGateway1.Condition).toBe('UseNatGateways');
    expect(resources.EndpointEcrApi.Condition).toBe('UseVpcEndpoints');
    expect(resources.S3GatewayEndpoint.Properties.VpcEndpointType).toBe('Gateway');
    const endpoints = resourcesOfType(template, 'AWS::EC2::VPCEndpoint').map(([, r]) => JSON.stringify(r.Properties.ServiceName));
    for (const service of ['ecr.api', 'ecr.dkr', 'logs', 'secretsmanager', 'sqs', 'ecs', 's3']) expect(endpoints.some((s) => s.includes(`.${service}"`))).toBe(true);
  });

  it('has the alarms: ALB 5xx and unhealthy targets, RDS CPU, free storage and connections', () => {
    const metrics = resourcesOfType(template, 'AWS::CloudWatch::Alarm').map(([, r]) => r.Properties.MetricName);
    expect(metrics).toEqual(expect.arrayContaining(['HTTPCode_ELB_5XX_Count', 'UnHealthyHostCount', 'CPUUtilization', 'FreeStorageSpace', 'DatabaseConnections']));
    expect(Object.keys(template.Outputs)).toEqual(expect.arrayContaining(['UiUrl', 'ApiUrl', 'ServerAuthSecretArn']));
  });

  it('defect 4: creates the Route 53 alias of ServerDomainName with HTTPS, in the zone the HostedZoneId String parameter names', () => {
    expect(resources.ServerDnsRecord).toMatchObject({
      Type: 'AWS::Route53::RecordSet',
      Condition: 'UseHttps',
      Properties: {
        HostedZoneId: { Ref: 'HostedZoneId' },
        Name: { Ref: 'ServerDomainName' },
        Type: 'A',
        AliasTarget: { HostedZoneId: { 'Fn::GetAtt': ['LoadBalancer', 'CanonicalHostedZoneID'] }, DNSName: { 'Fn::GetAtt': ['LoadBalancer', 'DNSName'] } },
      },
    });
    // AWS::Route53::HostedZone::Id cannot be empty, and the zone is needed only with HTTPS.
    expect(template.Parameters.HostedZoneId).toMatchObject({ Type: 'String', Default: '' });
  });

  it('defect 4: every API caller waits for "the API answers": service, listeners, DNS record and ingress', () => {
    const waitsFor = (id: string) => JSON.stringify(resources[id].Metadata);
    const ready = waitsFor('PrefectApiReady');
    for (const id of ['ServerService', 'LoadBalancerListenersReady', 'ServerDnsRecord', 'LoadBalancerIngress443FromWorkerSecurityGroup', 'LoadBalancerIngress443FromLambdaSecurityGroup', 'LoadBalancerIngressFromNatGateway1', 'LoadBalancerIngressFromNatGateway2']) {
      expect(ready).toContain(`{"Ref":"${id}"}`);
    }
    expect(waitsFor('LoadBalancerListenersReady')).toContain('{"Fn::If":["UseHttps",{"Ref":"HttpsListener"},{"Ref":"AWS::NoValue"}]}');
    // With HTTPS the HTTP listener only redirects: the service needs the HTTPS listener too.
    expect(resources.ServerService.DependsOn).toBe('LoadBalancerListenersReady');
    // The scaler's rules fill its trigger queue; the queue's mapping to the function waits.
    for (const caller of ['WorkPool', 'ScalerTriggerMapping', 'RegistrarImagePushRule', 'RegistrarManifestChangeRule']) expect(resources[caller].DependsOn).toEqual(['PrefectApiReady']);
  });

  it('defect 5: admits the NAT addresses of an internet-facing load balancer\'s own clients on 443', () => {
    for (const zone of [1, 2]) {
      expect(resources[`LoadBalancerIngressFromNatGateway${zone}`]).toMatchObject({
        Condition: `InternetFacingThroughNatGateway${zone}`,
        Properties: { GroupId: { Ref: 'LoadBalancerSecurityGroup' }, FromPort: 443, ToPort: 443 },
      });
    }
    expect(template.Conditions.InternetFacingThroughNatGateway2).toEqual({ 'Fn::And': [{ Condition: 'InternetFacingLoadBalancer' }, { Condition: 'UseNatGatewayPerZone' }] });
  });

  it('groups the console form with no group left holding a single leftover of the worker stack\'s', () => {
    const groups = template.Metadata['AWS::CloudFormation::Interface'].ParameterGroups as { Label: { default: string }; Parameters: string[] }[];
    const labels = groups.map((g) => g.Label.default);
    expect(labels.filter((label, i) => labels.indexOf(label) !== i)).toEqual([]);
    const network = groups.find((g) => g.Label.default === 'Network')!.Parameters;
    expect(network.slice(0, 3)).toEqual(['NetworkMode', 'VpcCidr', 'VpcId']);
    expect(network.at(-1)).toBe('ExistingClusterName');
    expect(groups.filter((g) => g.Parameters.length === 1)).toEqual([]);
  });
});

