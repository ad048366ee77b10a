/**
 * The server stack's two modes, read as CloudFormation would create them (test/policy/resolve.ts):
 * ServerReplicas=1 is the single task of before; 2 or more adds Redis (ElastiCache for Valkey),
 * API-only tasks that autoscale, and one background-services task that migrates the database.
 */
import { failedAssertions, type TemplateLogic } from '../../scripts/lib/validation/conditionLogic';
import { MAX_SERVER_REPLICAS, POSTGRES_VERSION, PREFECT_MIN_POSTGRES_VERSION } from '../../templates/server/constants';
import { MIGRATE_SCRIPT, REDIS_ENV_SCRIPT } from '../../templates/server/containers';
import { DB_CLASS_MEMORY_GIB, maxConnections, peakConnections } from '../../templates/server/database';
import { buildServerStack } from '../../templates/stacks/server';
import { resolveUnder } from '../policy/resolve';
import type { Json } from '../support/template';

const template = buildServerStack() as unknown as Json;
const under = (values: Record<string, string>) => resolveUnder(template as never, values) as Json;
const single = under({});
const ha = under({ ServerReplicas: '2' });
const env = (container: Json) => Object.fromEntries(container.Environment.map((e: Json) => [e.Name, e.Value]));
const containers = (t: Json, id: string) => t.Resources[id].Properties.ContainerDefinitions as Json[];
const HA_ONLY = [
  'ServerApiTaskDefinition',
  'BackgroundServicesTaskDefinition',
  'BackgroundServicesService',
  'ServerApiScalingPolicy',
  'BackgroundServicesAlarm',
  'CacheAuthSecret',
  'CacheSubnetGroup',
  'CacheSecurityGroup',
  'CacheIngressFromServer',
  'Cache',
];

describe('ServerReplicas: one task by default, high availability from 2', () => {
  it('defaults to 1 and allows 1 to MAX_SERVER_REPLICAS; the Conditions follow it', () => {
    expect(template.Parameters.ServerReplicas).toMatchObject({ Type: 'String', Default: '1' });
    expect(template.Parameters.ServerReplicas.AllowedValues).toEqual(Array.from({ length: MAX_SERVER_REPLICAS }, (_, i) => String(i + 1)));
    expect(template.Conditions.ServerHighAvailability).toEqual({ 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'ServerReplicas' }, '1'] }] });
    expect(template.Conditions.SingleServerTask).toEqual({ 'Fn::Equals': [{ Ref: 'ServerReplicas' }, '1'] });
  });

  it('creates none of the HA resources with one replica, and the single task definition only there', () => {
    for (const id of HA_ONLY) expect(single.Resources).not.toHaveProperty(id);
    expect(single.Resources).toHaveProperty('ServerTaskDefinition');
    for (const id of HA_ONLY) expect(ha.Resources).toHaveProperty(id);
    expect(ha.Resources).not.toHaveProperty('ServerTaskDefinition');
  });

  it.each([
    ['3', '2', false],
    ['6', '5', false],
    ['2', '1', false],
    ['2', '2', true],
    ['6', '6', true],
    ['6', '20', true],
    ['1', '1', true],
  ])('Rule ServerReplicasAtMostMax: ServerReplicas=%s with ServerMaxReplicas=%s accepted: %s', (replicas, max, accepted) => {
    const failed = failedAssertions(template as TemplateLogic, { ServerReplicas: replicas, ServerMaxReplicas: max }).filter((f) => f.rule === 'ServerReplicasAtMostMax');
    expect(failed.length === 0).toBe(accepted);
    if (!accepted) expect(failed[0]!.description).toBe(`ServerMaxReplicas is ${max}: ServerReplicas must be ${max} or less (or raise ServerMaxReplicas).`);
  });
});

describe('API tasks in HA mode', () => {
  const api = containers(ha, 'ServerApiTaskDefinition')[0]!;

  it('serve the API and UI without the background services, with a keep-alive above the load balancer idle timeout', () => {
    expect(ha.Resources.ServerService.Properties.TaskDefinition).toEqual({ Ref: 'ServerApiTaskDefinition' });
    expect(api.Command.slice(0, 2)).toEqual(['/bin/sh', '-c']);
    expect(api.Command.slice(3)).toEqual(['prefect-redis-env', 'prefect', 'server', 'start', '--host', '0.0.0.0', '--port', '4200', '--no-services', '--keep-alive-timeout', '65']);
    expect(api.Command[2]).toBe(REDIS_ENV_SCRIPT);
    expect(ha.Resources.ServerService.Properties.LoadBalancers).toEqual([{ ContainerName: 'prefect-server', ContainerPort: 4200, TargetGroupArn: { Ref: 'ServerTargetGroup' } }]);
  });

  it('never migrate the database, and reach Redis with the token from Secrets Manager', () => {
    expect(env(api)).toMatchObject({
      PREFECT_SERVER_DATABASE_MIGRATE_ON_START: 'false',
      PREFECT_SERVER_EVENTS_MESSAGING_BROKER: 'prefect_redis.messaging',
      PREFECT_SERVER_EVENTS_MESSAGING_CACHE: 'prefect_redis.messaging',
      PREFECT_SERVER_EVENTS_CAUSAL_ORDERING: 'prefect_redis.ordering',
      PREFECT_SERVER_CONCURRENCY_LEASE_STORAGE: 'prefect_redis.lease_storage',
      PREFECT_REDIS_MESSAGING_HOST: { 'Fn::GetAtt': ['Cache', 'PrimaryEndPoint.Address'] },
      PREFECT_REDIS_MESSAGING_PORT: { 'Fn::GetAtt': ['Cache', 'PrimaryEndPoint.Port'] },
      PREFECT_REDIS_MESSAGING_SSL: 'true',
      PREFECT_REDIS_MESSAGING_DB: '0',
    });
    expect(api.Secrets).toContainEqual({ Name: 'PREFECT_REDIS_MESSAGING_PASSWORD', ValueFrom: { Ref: 'CacheAuthSecret' } });
    expect(Object.keys(env(api)).filter((name) => /PASSWORD|TOKEN|AUTH_STRING|DOCKET_URL/.test(name))).toEqual([]);
  });

  it('autoscale on requests per task between ServerReplicas and ServerMaxReplicas, and CloudFormation leaves the count alone', () => {
    const service = ha.Resources.ServerService.Properties;
    expect(service).not.toHaveProperty('DesiredCount');
    expect(ha.Resources.ServerApiScalableTarget.Properties).toEqual({
      ServiceNamespace: 'ecs',
      ScalableDimension: 'ecs:service:DesiredCount',
      ResourceId: {
        'Fn::Sub': ['service/${Cluster}/${Service}', { Cluster: { Ref: 'Cluster' }, Service: { 'Fn::GetAtt': ['ServerService', 'Name'] } }],
      },
      MinCapacity: { Ref: 'ServerReplicas' },
      MaxCapacity: { Ref: 'ServerMaxReplicas' },
    });
    expect(env(api)).toMatchObject({ PREFECT_SERVER_DATABASE_SQLALCHEMY_POOL_SIZE: '3', PREFECT_SERVER_DATABASE_SQLALCHEMY_MAX_OVERFLOW: '2' });
    const policy = ha.Resources.ServerApiScalingPolicy.Properties;
    expect(policy).toMatchObject({ PolicyType: 'TargetTrackingScaling', ScalingTargetId: { Ref: 'ServerApiScalableTarget' } });
    expect(policy.TargetTrackingScalingPolicyConfiguration).toMatchObject({
      TargetValue: { Ref: 'ServerRequestsPerTask' },
      PredefinedMetricSpecification: {
        PredefinedMetricType: 'ALBRequestCountPerTarget',
        ResourceLabel: { 'Fn::Sub': '${LoadBalancer.LoadBalancerFullName}/${ServerTargetGroup.TargetGroupFullName}' },
      },
    });
  });

  it('roll without downtime in HA mode and stop before start with one task; zone rebalancing only where ECS allows it', () => {
    expect(ha.Resources.ServerService.Properties.DeploymentConfiguration).toEqual({ MaximumPercent: 200, MinimumHealthyPercent: 100, DeploymentCircuitBreaker: { Enable: true, Rollback: true } });
    expect(ha.Resources.ServerService.Properties.AvailabilityZoneRebalancing).toBe('ENABLED');
    expect(single.Resources.ServerService.Properties.DeploymentConfiguration).toEqual({ MaximumPercent: 100, MinimumHealthyPercent: 0, DeploymentCircuitBreaker: { Enable: true, Rollback: true } });
    expect(single.Resources.ServerService.Properties.AvailabilityZoneRebalancing).toBe('DISABLED');
  });

  it('run in the private subnets of both zones', () => {
    for (const id of ['ServerService', 'BackgroundServicesService']) {
      expect(ha.Resources[id].Properties.NetworkConfiguration.AwsvpcConfiguration).toEqual({
        AssignPublicIp: 'DISABLED',
        SecurityGroups: [{ Ref: 'ServerSecurityGroup' }],
        Subnets: [{ Ref: 'PrivateSubnet1' }, { Ref: 'PrivateSubnet2' }],
      });
    }
    expect(under({ ServerReplicas: '2', VpcId: 'vpc-0123456789abcdef0', PrivateSubnetIds: 'subnet-0123456789abcdef0,subnet-0fedcba9876543210' }).Resources.ServerService.Properties.NetworkConfiguration.AwsvpcConfiguration.Subnets).toEqual({
      'Fn::Split': [',', { Ref: 'PrivateSubnetIds' }],
    });
  });
});

describe('background services and migrations in HA mode', () => {
  const [migrate, services] = containers(ha, 'BackgroundServicesTaskDefinition') as [Json, Json];

  it('runs one background-services task, which migrates first and starts the services only after a successful migration', () => {
    expect(ha.Resources.BackgroundServicesService.Properties).toMatchObject({ DesiredCount: 1, TaskDefinition: { Ref: 'BackgroundServicesTaskDefinition' } });
    expect(ha.Resources.BackgroundServicesService.Properties).not.toHaveProperty('LoadBalancers');
    expect(migrate).toMatchObject({ Name: 'prefect-migrate', Essential: false });
    expect(migrate.Command.slice(0, 4)).toEqual(['/bin/sh', '-c', MIGRATE_SCRIPT, 'prefect-migrate']);
    expect(MIGRATE_SCRIPT).toContain('exec prefect server database upgrade -y');
    expect(env(migrate).PREFECT_SERVER_DATABASE_TIMEOUT).toBe('600');
    expect(services).toMatchObject({ Name: 'prefect-services', Essential: true, DependsOn: [{ ContainerName: 'prefect-migrate', Condition: 'SUCCESS' }] });
    expect(services.Command.slice(3)).toEqual(['prefect-redis-env', 'prefect', 'server', 'services', 'start']);
    expect(env(services).PREFECT_SERVER_DATABASE_MIGRATE_ON_START).toBe('false');
    // No StartTimeout: ECS would give up on a migration that takes longer.
    expect(services).not.toHaveProperty('StartTimeout');
    expect(migrate).not.toHaveProperty('StartTimeout');
  });

  it('makes the API service wait for the background services (and so for the migration) on create and update', () => {
    expect(ha.Resources.ServerService.Properties.Tags).toEqual([{ Key: 'prefect-ecs-stack:migrated-by', Value: { 'Fn::GetAtt': ['BackgroundServicesService', 'Name'] } }]);
    expect(single.Resources.ServerService.Properties).not.toHaveProperty('Tags');
  });

  it('lets the execution role read the cache token only where the cache exists', () => {
    const statement = (t: Json) => t.Resources.ServerExecutionRole.Properties.Policies[0].PolicyDocument.Statement.find((s: Json) => s.Sid === 'ReadServerSecrets');
    expect(statement(ha).Resource).toContainEqual({ Ref: 'CacheAuthSecret' });
    expect(statement(single).Resource).toHaveLength(2);
  });
});

describe('the cache', () => {
  const cache = ha.Resources.Cache;

  it('is a Valkey replication group, Multi-AZ with automatic failover, encrypted in transit and at rest, with an AUTH token from Secrets Manager', () => {
    expect(cache.Type).toBe('AWS::ElastiCache::ReplicationGroup');
    expect(cache.Properties).toMatchObject({
      Engine: 'valkey',
      NumCacheClusters: 2,
      AutomaticFailoverEnabled: true,
      MultiAZEnabled: true,
      TransitEncryptionEnabled: true,
      AtRestEncryptionEnabled: true,
      AuthToken: { 'Fn::Sub': '{{resolve:secretsmanager:${CacheAuthSecret}}}' },
      CacheNodeType: { Ref: 'CacheNodeType' },
      CacheSubnetGroupName: { Ref: 'CacheSubnetGroup' },
      SecurityGroupIds: [{ Ref: 'CacheSecurityGroup' }],
    });
    expect(cache.Properties).not.toHaveProperty('ClusterMode');
    // Only for migrating an existing group to TLS (cache.ts).
    expect(cache.Properties).not.toHaveProperty('TransitEncryptionMode');
    // 16-128 characters, none that a redis URL would need escaped.
    expect(ha.Resources.CacheAuthSecret.Properties.GenerateSecretString).toEqual({ PasswordLength: 64, ExcludePunctuation: true });
    expect(ha.Resources.CacheSubnetGroup.Properties.SubnetIds).toEqual([{ Ref: 'PrivateSubnet1' }, { Ref: 'PrivateSubnet2' }]);
  });

  it('is reachable only from the server tasks, on its port, and calls nothing', () => {
    expect(ha.Resources.CacheSecurityGroup.Properties).not.toHaveProperty('SecurityGroupIngress');
    expect(ha.Resources.CacheSecurityGroup.Properties.SecurityGroupEgress).toEqual([{ IpProtocol: '-1', CidrIp: '127.0.0.1/32', Description: 'no outbound traffic' }]);
    const ingress = Object.values(ha.Resources as Record<string, Json>).filter((r) => r.Type === 'AWS::EC2::SecurityGroupIngress' && r.Properties.GroupId.Ref === 'CacheSecurityGroup');
    expect(ingress.map((r) => r.Properties)).toEqual([expect.objectContaining({ FromPort: 6379, ToPort: 6379, SourceSecurityGroupId: { Ref: 'ServerSecurityGroup' } })]);
  });
});

describe('the database in HA mode', () => {
  it.each([
    ['auto', '1', false],
    ['auto', '2', true],
    ['auto', '6', true],
    ['true', '1', true],
    ['false', '2', false],
  ])('DbMultiAz=%s with ServerReplicas=%s is Multi-AZ: %s', (dbMultiAz, replicas, multiAz) => {
    expect(template.Parameters.DbMultiAz).toMatchObject({ Default: 'auto', AllowedValues: ['auto', 'true', 'false'] });
    expect(under({ DbMultiAz: dbMultiAz, ServerReplicas: replicas }).Resources.Database.Properties.MultiAZ).toBe(multiAz);
  });

  /** Dotted versions compared part by part as numbers (14.10 is above 14.9). */
  const atLeast = (version: string, minimum: string) => {
    const [a, b] = [version, minimum].map((v) => v.split('.').map(Number));
    const i = a!.findIndex((part, k) => part !== (b![k] ?? 0));
    return i === -1 || a![i]! > (b![i] ?? 0);
  };

  it.each([['14.9', true], ['14.10', true], ['15.0', true], ['14.8', false], ['13.20', false]])('compares engine versions as numbers: %s >= 14.9 is %s', (version, expected) => {
    expect(atLeast(version, PREFECT_MIN_POSTGRES_VERSION)).toBe(expected);
  });

  it(`pins PostgreSQL at or above the ${PREFECT_MIN_POSTGRES_VERSION} Prefect requires for several servers`, () => {
    expect(template.Resources.Database.Properties.EngineVersion).toBe(POSTGRES_VERSION);
    expect(atLeast(POSTGRES_VERSION, PREFECT_MIN_POSTGRES_VERSION)).toBe(true);
  });
});

describe('moving between the modes on an existing stack (issue 14 review)', () => {
  it('keeps the scalable target with one task, pinned to 1..1, so an update from HA back to one task clamps the count; only the policy follows the mode', () => {
    // Both are ServerReplicas, which is 1 with one task (CloudFormation converts it to the integer).
    expect(single.Resources.ServerApiScalableTarget.Properties).toMatchObject({ MinCapacity: { Ref: 'ServerReplicas' }, MaxCapacity: { Ref: 'ServerReplicas' } });
    expect(single.Resources.ServerService.Properties.DesiredCount).toBe(1);
    expect(template.Resources.ServerApiScalableTarget).not.toHaveProperty('Condition');
    expect(template.Resources.ServerApiScalingPolicy.Condition).toBe('ServerHighAvailability');
  });

  it('orders an update as the README says: the services service before the API service, the scalable target after the API service', () => {
    expect(JSON.stringify(ha.Resources.ServerService.Properties)).toContain('"Fn::GetAtt":["BackgroundServicesService","Name"]');
    expect(JSON.stringify(template.Resources.ServerApiScalableTarget.Properties.ResourceId)).toContain('"Fn::GetAtt":["ServerService","Name"]');
  });

  it('creates the background services only after the cache and database admit the server tasks', () => {
    expect(ha.Resources.BackgroundServicesService.DependsOn).toEqual(['CacheIngressFromServer', 'DatabaseIngressFromServer']);
    expect(template.Resources.DatabaseIngressFromServer).not.toHaveProperty('Condition');
    expect(template.Resources.CacheIngressFromServer.Condition).toBe(template.Resources.BackgroundServicesService.Condition);
  });

  it('alarms on the alarm topic when the background-services service runs no task', () => {
    expect(ha.Resources.BackgroundServicesAlarm.Properties).toMatchObject({
      Namespace: 'AWS/ECS',
      MetricName: 'CPUUtilization',
      Statistic: 'SampleCount',
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
      AlarmActions: [{ Ref: 'AlarmTopic' }],
    });
    expect(ha.Resources.BackgroundServicesAlarm.Properties.Dimensions).toContainEqual({ Name: 'ServiceName', Value: { 'Fn::GetAtt': ['BackgroundServicesService', 'Name'] } });
  });
});

describe('database connections (issue 14 review)', () => {
  const maxAccepted = (dbClass: string) => {
    let max = 0;
    for (let n = 2; n <= 20; n += 1) {
      const failed = failedAssertions(template as TemplateLogic, { ServerReplicas: '2', ServerMaxReplicas: String(n), DbInstanceClass: dbClass }).filter((f) => f.rule === 'ServerMaxReplicasFitDatabase');
      if (failed.length === 0) max = n;
    }
    return max;
  };

  it.each(Object.entries(DB_CLASS_MEMORY_GIB))('Rule ServerMaxReplicasFitDatabase: with %s the peak of a rollout at ServerMaxReplicas stays below max_connections less 5', (dbClass, gib) => {
    const max = maxAccepted(dbClass);
    expect(peakConnections(max)).toBeLessThanOrEqual(maxConnections(gib) - 5);
    if (max < 20) expect(peakConnections(max + 1)).toBeGreaterThan(maxConnections(gib) - 5);
  });

  it('accepts the defaults (db.t4g.micro, ServerMaxReplicas 4) and names the fix when it refuses', () => {
    expect(maxAccepted('db.t4g.micro')).toBe(5);
    expect(failedAssertions(template as TemplateLogic, { ServerReplicas: '2' }).filter((f) => f.rule === 'ServerMaxReplicasFitDatabase')).toEqual([]);
    const [failed] = failedAssertions(template as TemplateLogic, { ServerReplicas: '2', ServerMaxReplicas: '6' }).filter((f) => f.rule === 'ServerMaxReplicasFitDatabase');
    expect(failed!.description).toBe('With db.t4g.micro, ServerMaxReplicas must be 5 or less: more API tasks would open more database connections than it accepts. Choose a larger DbInstanceClass or lower ServerMaxReplicas.');
    // One task: the Rule does not apply.
    expect(failedAssertions(template as TemplateLogic, { ServerReplicas: '1', ServerMaxReplicas: '20' }).filter((f) => f.rule === 'ServerMaxReplicasFitDatabase')).toEqual([]);
  });

  it.each(Object.entries(DB_CLASS_MEMORY_GIB))('the connections alarm fires at 80%% of max_connections of %s', (dbClass, gib) => {
    expect(under({ DbInstanceClass: dbClass }).Resources.DatabaseConnectionsAlarm.Properties.Threshold).toBe(Math.floor(0.8 * maxConnections(gib)));
  });

  it('computes max_connections by the RDS formula LEAST(DBInstanceClassMemory/9531392, 5000)', () => {
    expect(maxConnections(1)).toBe(Math.floor(((1024 - 384) * 2 ** 20) / 9531392));
    expect(maxConnections(1024)).toBe(5000);
  });
});
