/**
 * A self-hosted Prefect 3 server: RDS PostgreSQL for its state, one ECS Fargate task behind an
 * Application Load Balancer, and a generated auth string shared with the workers and Lambdas.
 * One combined task runs the API and the background services exactly once (a deployment stops
 * the old task before it starts the new one); several API tasks would need Redis, not offered.
 * The database password never appears in the template or an environment variable: RDS keeps
 * it in Secrets Manager and ECS injects it.
 */
import { CloudWatch, EC2, ECS, ElasticLoadBalancingV2, IAM, RDS, SecretsManager } from 'cloudform';
import { getAtt, iff, keepOnDeleteAndReplace, ref, sub, type Intrinsic, type TemplateFragment } from './cfn';
import { clusterNameValue, fargateSize } from './ecs';
import { allow, ecsTasksTrustPolicy, policy, pullImages, writeLogs } from './iam';
import { Cond, Param, Res, attr } from './ids';
import { retainedLogGroup } from './logs';
import { ALARM_BASE } from './monitoring';
import { privateSubnetsValue, publicSubnetsValue, vpcIdValue } from './vpc';

export const SERVER_PORT = 4200;
export const DATABASE_PORT = 5432;
export const DATABASE_NAME = 'prefect';
export const DATABASE_USER = 'prefect';
/** A current PostgreSQL release (minor upgrades are automatic; Prefect needs 14.9+ for several servers). */
export const POSTGRES_VERSION = '17.6';
const SERVER_CONTAINER = 'prefect-server';

/** The API URL workers, Lambdas and people use: HTTPS on the certificate's name, else the ALB's DNS name. */
export const serverApiUrl = (): Intrinsic =>
  iff(Cond.UseHttps, sub('https://${ServerDomainName}/api'), sub('http://${LoadBalancer.DNSName}/api'));
const serverUiUrl = (): Intrinsic => iff(Cond.UseHttps, sub('https://${ServerDomainName}'), sub('http://${LoadBalancer.DNSName}'));

const databaseSecretArn = () => getAtt(Res.Database, 'MasterUserSecret.SecretArn');

function securityGroups(): TemplateFragment['Resources'] {
  const group = (what: string, egress: { IpProtocol: string; CidrIp: string; Description: string }[]) =>
    new EC2.SecurityGroup({ GroupDescription: sub(`${what} of \${AWS::StackName}`), VpcId: vpcIdValue(), SecurityGroupEgress: egress });
  const fromGroup = (GroupId: Intrinsic, port: number, source: string, Description: string) =>
    new EC2.SecurityGroupIngress({ GroupId, IpProtocol: 'tcp', FromPort: port, ToPort: port, SourceSecurityGroupId: ref(source), Description });
  const loadBalancerPorts = [80, 443];
  return {
    [Res.LoadBalancerSecurityGroup]: new EC2.SecurityGroup({
      GroupDescription: sub('Prefect load balancer of ${AWS::StackName}: HTTP(S) from the allowed CIDR and the stack'),
      VpcId: vpcIdValue(),
      SecurityGroupIngress: loadBalancerPorts.map((port) => ({ IpProtocol: 'tcp', FromPort: port, ToPort: port, CidrIp: ref(Param.AllowedCidr), Description: 'people and clients' })),
      SecurityGroupEgress: [{ IpProtocol: 'tcp', FromPort: SERVER_PORT, ToPort: SERVER_PORT, CidrIp: '0.0.0.0/0', Description: 'to the server tasks (their group admits only this one)' }],
    }),
    ...Object.fromEntries(
      [Res.WorkerSecurityGroup, Res.FlowRunSecurityGroup, Res.LambdaSecurityGroup].flatMap((source) =>
        loadBalancerPorts.map((port) => [`LoadBalancerIngress${port}From${source}`, fromGroup(ref(Res.LoadBalancerSecurityGroup), port, source, `API calls from ${source}`)]),
      ),
    ),
    [Res.ServerSecurityGroup]: group('Prefect server', [{ IpProtocol: '-1', CidrIp: '0.0.0.0/0', Description: 'database, AWS APIs, image registry' }]),
    [Res.ServerIngressFromLoadBalancer]: fromGroup(ref(Res.ServerSecurityGroup), SERVER_PORT, Res.LoadBalancerSecurityGroup, 'only the load balancer reaches the server'),
    // No egress at all: a database answers, it does not call out.
    [Res.DatabaseSecurityGroup]: group('Prefect database', [{ IpProtocol: '-1', CidrIp: '127.0.0.1/32', Description: 'no outbound traffic' }]),
    [Res.DatabaseIngressFromServer]: fromGroup(ref(Res.DatabaseSecurityGroup), DATABASE_PORT, Res.ServerSecurityGroup, 'only the Prefect server reaches PostgreSQL'),
    [Res.LambdaSecurityGroup]: group('stack Lambdas', [{ IpProtocol: '-1', CidrIp: '0.0.0.0/0', Description: 'Prefect API, AWS APIs' }]),
  };
}

function database(): TemplateFragment['Resources'] {
  return {
    [Res.DatabaseSubnetGroup]: new RDS.DBSubnetGroup({ DBSubnetGroupDescription: sub('Private subnets of the ${AWS::StackName} database'), SubnetIds: privateSubnetsValue() }),
    [Res.Database]: keepOnDeleteAndReplace(
      new RDS.DBInstance({
        Engine: 'postgres',
        EngineVersion: POSTGRES_VERSION,
        DBInstanceClass: ref(Param.DbInstanceClass),
        AllocatedStorage: ref(Param.DbAllocatedStorage),
        StorageType: 'gp3',
        StorageEncrypted: true,
        DBName: DATABASE_NAME,
        MasterUsername: DATABASE_USER,
        Port: String(DATABASE_PORT),
        PubliclyAccessible: false,
        MultiAZ: ref(Param.DbMultiAz),
        BackupRetentionPeriod: ref(Param.DbBackupRetentionDays),
        DeletionProtection: true,
        CopyTagsToSnapshot: true,
        AutoMinorVersionUpgrade: true,
        EnableCloudwatchLogsExports: ['postgresql', 'upgrade'],
        EnableIAMDatabaseAuthentication: true,
        DBSubnetGroupName: ref(Res.DatabaseSubnetGroup),
        VPCSecurityGroups: [ref(Res.DatabaseSecurityGroup)],
        // RDS generates the master password, keeps it in Secrets Manager and rotates it.
        ...({ ManageMasterUserPassword: true } as object),
      }),
      'Snapshot',
    ),
  };
}

function loadBalancer(): TemplateFragment['Resources'] {
  const forward = [{ Type: 'forward', TargetGroupArn: ref(Res.ServerTargetGroup) }];
  return {
    [Res.LoadBalancer]: new ElasticLoadBalancingV2.LoadBalancer({
      Type: 'application',
      Scheme: ref(Param.LoadBalancerScheme),
      Subnets: iff(Cond.InternetFacing, publicSubnetsValue(), privateSubnetsValue()),
      SecurityGroups: [ref(Res.LoadBalancerSecurityGroup)],
      LoadBalancerAttributes: [
        { Key: 'routing.http.drop_invalid_header_fields.enabled', Value: 'true' },
        { Key: 'routing.http.desync_mitigation_mode', Value: 'defensive' },
      ],
    }),
    [Res.ServerTargetGroup]: new ElasticLoadBalancingV2.TargetGroup({
      TargetType: 'ip',
      Protocol: 'HTTP',
      Port: SERVER_PORT,
      VpcId: vpcIdValue(),
      HealthCheckPath: '/api/health',
      Matcher: { HttpCode: '200' },
      HealthCheckIntervalSeconds: 15,
      HealthyThresholdCount: 2,
      UnhealthyThresholdCount: 3,
      TargetGroupAttributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '30' }],
    }),
    [Res.HttpListener]: new ElasticLoadBalancingV2.Listener({
      LoadBalancerArn: ref(Res.LoadBalancer),
      Port: 80,
      Protocol: 'HTTP',
      DefaultActions: iff(Cond.UseHttps, [{ Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' } }], forward),
    }),
    [Res.HttpsListener]: new ElasticLoadBalancingV2.Listener({
      LoadBalancerArn: ref(Res.LoadBalancer),
      Port: 443,
      Protocol: 'HTTPS',
      Certificates: [{ CertificateArn: ref(Param.CertificateArn) }],
      SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      DefaultActions: forward,
    }).condition(Cond.UseHttps),
  };
}

function serverContainer() {
  const env: Record<string, unknown> = {
    PREFECT_SERVER_API_HOST: '0.0.0.0',
    PREFECT_SERVER_API_PORT: String(SERVER_PORT),
    PREFECT_UI_API_URL: serverApiUrl(),
    PREFECT_SERVER_DATABASE_DRIVER: 'postgresql+asyncpg',
    PREFECT_SERVER_DATABASE_HOST: getAtt(Res.Database, 'Endpoint.Address'),
    PREFECT_SERVER_DATABASE_PORT: getAtt(Res.Database, 'Endpoint.Port'),
    PREFECT_SERVER_DATABASE_NAME: DATABASE_NAME,
    PREFECT_SERVER_DATABASE_USER: DATABASE_USER,
    PREFECT_SERVER_DATABASE_MIGRATE_ON_START: 'true',
    // RDS PostgreSQL requires TLS; asyncpg takes the mode from PGSSLMODE.
    PGSSLMODE: 'require',
    PREFECT_SERVER_ANALYTICS_ENABLED: 'false',
    HOME: '/tmp',
    PREFECT_HOME: '/tmp/prefect',
  };
  return {
    Name: SERVER_CONTAINER,
    Image: ref(Param.ServerImage),
    Essential: true,
    Command: ['prefect', 'server', 'start', '--host', '0.0.0.0', '--port', String(SERVER_PORT)],
    PortMappings: [{ ContainerPort: SERVER_PORT, Protocol: 'tcp' }],
    Environment: Object.entries(env).map(([Name, Value]) => ({ Name, Value })),
    Secrets: [
      { Name: 'PREFECT_SERVER_DATABASE_PASSWORD', ValueFrom: sub('${Secret}:password::', { Secret: databaseSecretArn() }) },
      { Name: 'PREFECT_SERVER_API_AUTH_STRING', ValueFrom: ref(Res.ServerAuthSecret) },
    ],
    Memory: fargateSize(Param.ServerSize).memory,
    ReadonlyRootFilesystem: true,
    MountPoints: [{ SourceVolume: 'scratch', ContainerPath: '/tmp', ReadOnly: false }],
    HealthCheck: {
      Command: ['CMD-SHELL', `python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:${SERVER_PORT}/api/health', timeout=5)"`],
      Interval: 30,
      Timeout: 10,
      Retries: 3,
      StartPeriod: 120,
    },
    LogConfiguration: {
      LogDriver: 'awslogs',
      Options: { 'awslogs-group': ref(Res.ServerLogGroup), 'awslogs-region': ref('AWS::Region'), 'awslogs-stream-prefix': 'server' },
    },
  };
}

function serverService(): TemplateFragment['Resources'] {
  return {
    [Res.ServerAuthSecret]: new SecretsManager.Secret({
      Description: sub('PREFECT_SERVER_API_AUTH_STRING of ${AWS::StackName}, shared with its workers and Lambdas'),
      GenerateSecretString: { PasswordLength: 48, ExcludePunctuation: true },
    }),
    [Res.ServerLogGroup]: retainedLogGroup(),
    [Res.ServerExecutionRole]: new IAM.Role({
      Description: sub('Pulls the Prefect server image, writes its logs, reads its two secrets (${AWS::StackName})'),
      AssumeRolePolicyDocument: ecsTasksTrustPolicy(),
      Policies: [
        policy('server-execution', [
          writeLogs(Res.ServerLogGroup),
          ...pullImages(),
          allow('ReadServerSecrets', ['secretsmanager:GetSecretValue'], [databaseSecretArn(), ref(Res.ServerAuthSecret)]),
        ]),
      ],
    }),
    // The server calls no AWS API; its task role grants nothing.
    [Res.ServerTaskRole]: new IAM.Role({
      Description: sub('Identity of the Prefect server task: no permissions (${AWS::StackName})'),
      AssumeRolePolicyDocument: ecsTasksTrustPolicy(),
    }),
    [Res.ServerTaskDefinition]: new ECS.TaskDefinition({
      RequiresCompatibilities: ['FARGATE'],
      NetworkMode: 'awsvpc',
      Cpu: fargateSize(Param.ServerSize).cpu,
      Memory: fargateSize(Param.ServerSize).memory,
      RuntimePlatform: { OperatingSystemFamily: 'LINUX', CpuArchitecture: 'X86_64' },
      ExecutionRoleArn: attr(Res.ServerExecutionRole, 'Arn'),
      TaskRoleArn: attr(Res.ServerTaskRole, 'Arn'),
      Volumes: [{ Name: 'scratch' }],
      ContainerDefinitions: [serverContainer() as never],
    }),
    [Res.ServerService]: new ECS.Service({
      Cluster: clusterNameValue(),
      TaskDefinition: ref(Res.ServerTaskDefinition),
      LaunchType: 'FARGATE',
      PlatformVersion: 'LATEST',
      DesiredCount: 1,
      // Exactly one task at any time: the background services must not run twice.
      DeploymentConfiguration: { MaximumPercent: 100, MinimumHealthyPercent: 0, DeploymentCircuitBreaker: { Enable: true, Rollback: true } },
      HealthCheckGracePeriodSeconds: 180,
      LoadBalancers: [{ ContainerName: SERVER_CONTAINER, ContainerPort: SERVER_PORT, TargetGroupArn: ref(Res.ServerTargetGroup) }],
      NetworkConfiguration: {
        AwsvpcConfiguration: { AssignPublicIp: 'DISABLED', SecurityGroups: [ref(Res.ServerSecurityGroup)], Subnets: privateSubnetsValue() },
      },
      PropagateTags: 'SERVICE',
    }).dependsOn(Res.HttpListener),
  };
}

function alarms(): TemplateFragment['Resources'] {
  const base = { ...ALARM_BASE, EvaluationPeriods: 5, DatapointsToAlarm: 3 };
  const db = [{ Name: 'DBInstanceIdentifier', Value: ref(Res.Database) }];
  return {
    [Res.LoadBalancer5xxAlarm]: new CloudWatch.Alarm({
      ...base,
      AlarmDescription: sub('The Prefect load balancer of ${AWS::StackName} answers 5xx'),
      Namespace: 'AWS/ApplicationELB',
      MetricName: 'HTTPCode_ELB_5XX_Count',
      Dimensions: [{ Name: 'LoadBalancer', Value: attr(Res.LoadBalancer, 'LoadBalancerFullName') }],
      Statistic: 'Sum',
      Threshold: 5,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    }),
    [Res.UnhealthyServerAlarm]: new CloudWatch.Alarm({
      ...base,
      AlarmDescription: sub('The Prefect server of ${AWS::StackName} fails its /api/health check'),
      Namespace: 'AWS/ApplicationELB',
      MetricName: 'UnHealthyHostCount',
      Dimensions: [
        { Name: 'LoadBalancer', Value: attr(Res.LoadBalancer, 'LoadBalancerFullName') },
        { Name: 'TargetGroup', Value: attr(Res.ServerTargetGroup, 'TargetGroupFullName') },
      ],
      Statistic: 'Maximum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    }),
    [Res.DatabaseCpuAlarm]: new CloudWatch.Alarm({
      ...base,
      AlarmDescription: sub('The Prefect database of ${AWS::StackName} runs hot: consider a larger DbInstanceClass'),
      Namespace: 'AWS/RDS',
      MetricName: 'CPUUtilization',
      Dimensions: db,
      Statistic: 'Average',
      Threshold: 80,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    }),
    [Res.DatabaseStorageAlarm]: new CloudWatch.Alarm({
      ...base,
      AlarmDescription: sub('The Prefect database of ${AWS::StackName} has under 2 GiB free: raise DbAllocatedStorage'),
      Namespace: 'AWS/RDS',
      MetricName: 'FreeStorageSpace',
      Dimensions: db,
      Statistic: 'Minimum',
      Threshold: 2 * 1024 ** 3,
      ComparisonOperator: 'LessThanOrEqualToThreshold',
    }),
    [Res.DatabaseConnectionsAlarm]: new CloudWatch.Alarm({
      ...base,
      AlarmDescription: sub('The Prefect database of ${AWS::StackName} nears its connection limit'),
      Namespace: 'AWS/RDS',
      MetricName: 'DatabaseConnections',
      Dimensions: db,
      Statistic: 'Maximum',
      Threshold: 60,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    }),
  };
}

export function buildServer(): TemplateFragment {
  return {
    Conditions: {
      [Cond.UseHttps]: { 'Fn::Not': [{ 'Fn::Equals': [ref(Param.CertificateArn), ''] }] } as never,
      [Cond.InternetFacing]: { 'Fn::Equals': [ref(Param.LoadBalancerScheme), 'internet-facing'] } as never,
    },
    Resources: { ...securityGroups(), ...database(), ...loadBalancer(), ...serverService(), ...alarms() },
    Outputs: {
      UiUrl: { Description: 'The Prefect UI (sign in with the auth string in ServerAuthSecretArn)', Value: serverUiUrl() },
      ApiUrl: { Description: 'PREFECT_API_URL for clients, CI and other workers', Value: serverApiUrl(), Export: { Name: sub('${AWS::StackName}-ApiUrl') } },
      ServerAuthSecretArn: { Description: 'Secret holding PREFECT_API_AUTH_STRING (the ARN, never the value)', Value: ref(Res.ServerAuthSecret) },
      DatabaseEndpoint: { Description: 'PostgreSQL endpoint (reachable only from the server)', Value: getAtt(Res.Database, 'Endpoint.Address') },
      LoadBalancerDnsName: { Description: 'Point ServerDomainName here (CNAME or alias) when you use a certificate', Value: attr(Res.LoadBalancer, 'DNSName') },
    },
  };
}

