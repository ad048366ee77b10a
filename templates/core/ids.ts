/**
 * Logical IDs of parameters, conditions and resources, and the pseudo parameters the templates
 * use. `ref`, `getAtt`, `iff` and `conditionRef` (cfn.ts) accept only these, and a fragment's
 * sections are keyed by them (template.ts), so a typo in an ID fails to compile, not to deploy.
 * IDs a builder numbers (one per zone, endpoint or port) come from functions typed with
 * template literals: `ZonalRes.PrivateSubnet(2)` is "PrivateSubnet2", and nothing else is.
 */

export const Param = {
  PrefectApiUrl: 'PrefectApiUrl',
  PrefectAuthMode: 'PrefectAuthMode',
  PrefectAuthSecretArn: 'PrefectAuthSecretArn',
  PrefectAuthValue: 'PrefectAuthValue',
  WorkPoolName: 'WorkPoolName',
  WorkQueues: 'WorkQueues',
  VpcId: 'VpcId',
  SubnetIds: 'SubnetIds',
  AssignPublicIp: 'AssignPublicIp',
  ExistingClusterName: 'ExistingClusterName',
  WorkerImage: 'WorkerImage',
  WorkerSize: 'WorkerSize',
  UseFargateSpot: 'UseFargateSpot',
  LogRetentionDays: 'LogRetentionDays',
  MinWorkers: 'MinWorkers',
  MaxWorkers: 'MaxWorkers',
  SubmissionsPerWorker: 'SubmissionsPerWorker',
  LookaheadSeconds: 'LookaheadSeconds',
  IdleGraceSeconds: 'IdleGraceSeconds',
  StuckPendingSeconds: 'StuckPendingSeconds',
  StuckPendingAction: 'StuckPendingAction',
  FlowRunManagedPolicyArns: 'FlowRunManagedPolicyArns',
  EnableWebhook: 'EnableScalerWebhook',
  AlarmEmail: 'AlarmEmail',
  RemoveWorkPoolOnDelete: 'RemoveWorkPoolOnDelete',
  WatchedRepositories: 'WatchedRepositories',
  ManifestParameterName: 'ManifestParameterName',
  EcrRepositoryName: 'EcrRepositoryName',
  EcrImageTagMutability: 'EcrImageTagMutability',
  EcrKeepImages: 'EcrKeepImages',
  NetworkMode: 'NetworkMode',
  VpcCidr: 'VpcCidr',
  PrivateSubnetIds: 'PrivateSubnetIds',
  ServerImage: 'ServerImage',
  ServerSize: 'ServerSize',
  LoadBalancerScheme: 'LoadBalancerScheme',
  AllowedCidr: 'AllowedCidr',
  CertificateArn: 'CertificateArn',
  ServerDomainName: 'ServerDomainName',
  HostedZoneId: 'HostedZoneId',
  DbInstanceClass: 'DbInstanceClass',
  DbAllocatedStorage: 'DbAllocatedStorage',
  DbBackupRetentionDays: 'DbBackupRetentionDays',
  DbMultiAz: 'DbMultiAz',
  ServerReplicas: 'ServerReplicas',
  ServerMaxReplicas: 'ServerMaxReplicas',
  ServerRequestsPerTask: 'ServerRequestsPerTask',
  CacheNodeType: 'CacheNodeType',
} as const;
export type ParamId = (typeof Param)[keyof typeof Param];

export const Cond = {
  HasAuth: 'HasPrefectAuth',
  CreateAuthSecret: 'CreatePrefectAuthSecret',
  UseExistingAuthSecret: 'UseExistingPrefectAuthSecret',
  UseApiKey: 'UsePrefectApiKey',
  CreateCluster: 'CreateCluster',
  UseFargateSpot: 'UseFargateSpot',
  HasFlowRunPolicies: 'HasFlowRunManagedPolicies',
  EnableWebhook: 'EnableScalerWebhook',
  HasAlarmEmail: 'HasAlarmEmail',
  HasManifestParameter: 'HasManifestParameter',
  CreateEcrRepository: 'CreateEcrRepository',
  RegistrarEnabled: 'RegistrarEnabled',
  CreateVpc: 'CreateVpc',
  HasPrivateSubnetIds: 'HasPrivateSubnetIds',
  UseNatGateways: 'UseNatGateways',
  UseNatGatewayPerZone: 'UseNatGatewayPerZone',
  UseVpcEndpoints: 'UseVpcEndpoints',
  UseHttps: 'UseHttps',
  InternetFacing: 'InternetFacingLoadBalancer',
  InternetFacingThroughNat1: 'InternetFacingThroughNatGateway1',
  InternetFacingThroughNat2: 'InternetFacingThroughNatGateway2',
  HighAvailability: 'ServerHighAvailability',
  SingleServer: 'SingleServerTask',
  DatabaseMultiAz: 'DatabaseMultiAz',
  DatabaseMemory1GiB: 'DatabaseMemory1GiB',
  DatabaseMemory2GiB: 'DatabaseMemory2GiB',
  DatabaseMemory4GiB: 'DatabaseMemory4GiB',
  DatabaseMemory8GiB: 'DatabaseMemory8GiB',
} as const;
export type CondId = (typeof Cond)[keyof typeof Cond];

export const Res = {
  PrefectAuthSecret: 'PrefectAuthSecret',
  Cluster: 'Cluster',
  WorkerExecutionRole: 'WorkerExecutionRole',
  WorkerTaskRole: 'WorkerTaskRole',
  FlowRunExecutionRole: 'FlowRunExecutionRole',
  FlowRunTaskRole: 'FlowRunTaskRole',
  WorkerSecurityGroup: 'WorkerSecurityGroup',
  FlowRunSecurityGroup: 'FlowRunSecurityGroup',
  WorkerLogGroup: 'WorkerLogGroup',
  FlowRunLogGroup: 'FlowRunLogGroup',
  WorkerTaskDefinition: 'WorkerTaskDefinition',
  WorkerService: 'WorkerService',
  ObserverQueue: 'EcsObserverQueue',
  ObserverDeadLetterQueue: 'EcsObserverDeadLetterQueue',
  ObserverQueuePolicy: 'EcsObserverQueuePolicy',
  ObserverDeadLetterQueuePolicy: 'EcsObserverDeadLetterQueuePolicy',
  ObserverRule: 'EcsTaskStateChangeRule',
  LambdaDeadLetterQueue: 'LambdaDeadLetterQueue',
  LambdaDeadLetterQueuePolicy: 'LambdaDeadLetterQueuePolicy',
  ScalerRole: 'ScalerRole',
  ScalerLogGroup: 'ScalerLogGroup',
  ScalerFunction: 'ScalerFunction',
  ScalerScheduleRule: 'ScalerScheduleRule',
  ScalerTaskStateRule: 'ScalerTaskStateRule',
  ScalerTriggerQueue: 'ScalerTriggers',
  ScalerTriggerDeadLetterQueue: 'ScalerTriggersDlq',
  ScalerTriggerQueuePolicy: 'ScalerTriggerQueuePolicy',
  ScalerTriggerDeadLetterQueuePolicy: 'ScalerTriggersDlqPolicy',
  ScalerTriggerMapping: 'ScalerTriggerMapping',
  ScalerTriggerDeadLetterAlarm: 'ScalerTriggerDeadLetterAlarm',
  WebhookTokenSecret: 'ScalerWebhookTokenSecret',
  ScalerWebhookLogGroup: 'ScalerWebhookLogGroup',
  ScalerWebhookRole: 'ScalerWebhookRole',
  ScalerWebhookFunction: 'ScalerWebhookFunction',
  ScalerFunctionUrl: 'ScalerFunctionUrl',
  ScalerFunctionUrlPermission: 'ScalerFunctionUrlPermission',
  ScalerFunctionUrlInvokePermission: 'ScalerFunctionUrlInvokePermission',
  AlarmTopicKey: 'AlarmTopicKey',
  AlarmTopic: 'AlarmTopic',
  AlarmTopicPolicy: 'AlarmTopicPolicy',
  AlarmEmailSubscription: 'AlarmEmailSubscription',
  ScalerErrorsAlarm: 'ScalerErrorsAlarm',
  PrefectUnreachableAlarm: 'PrefectUnreachableAlarm',
  LambdaDeadLetterAlarm: 'LambdaDeadLetterAlarm',
  ObserverDeadLetterAlarm: 'EcsObserverDeadLetterAlarm',
  ScalingDashboard: 'ScalingDashboard',
  WorkPoolLogGroup: 'WorkPoolLogGroup',
  WorkPoolRole: 'WorkPoolRole',
  WorkPoolFunction: 'WorkPoolFunction',
  WorkPool: 'WorkPool',
  RegistrarManifest: 'RegistrarManifest',
  RegistrarLogGroup: 'RegistrarLogGroup',
  RegistrarRole: 'RegistrarRole',
  RegistrarFunction: 'RegistrarFunction',
  RegistrarRule: 'RegistrarImagePushRule',
  RegistrarRulePermission: 'RegistrarImagePushRulePermission',
  RegistrarManifestRule: 'RegistrarManifestChangeRule',
  RegistrarManifestRulePermission: 'RegistrarManifestChangeRulePermission',
  RegistrarReconcileRule: 'RegistrarReconcileRule',
  RegistrarReconcileRulePermission: 'RegistrarReconcileRulePermission',
  RegistrarProblemsAlarm: 'RegistrarProblemsAlarm',
  EcrRepository: 'EcrRepository',
  Vpc: 'Vpc',
  InternetGateway: 'InternetGateway',
  GatewayAttachment: 'InternetGatewayAttachment',
  PublicRouteTable: 'PublicRouteTable',
  PublicDefaultRoute: 'PublicDefaultRoute',
  EndpointSecurityGroup: 'VpcEndpointSecurityGroup',
  S3GatewayEndpoint: 'S3GatewayEndpoint',
  ServerAuthSecret: 'ServerAuthSecret',
  DatabaseSubnetGroup: 'DatabaseSubnetGroup',
  DatabaseSecurityGroup: 'DatabaseSecurityGroup',
  DatabaseIngressFromServer: 'DatabaseIngressFromServer',
  Database: 'Database',
  LoadBalancerSecurityGroup: 'LoadBalancerSecurityGroup',
  LoadBalancer: 'LoadBalancer',
  ServerTargetGroup: 'ServerTargetGroup',
  HttpListener: 'HttpListener',
  HttpsListener: 'HttpsListener',
  LoadBalancerListenersReady: 'LoadBalancerListenersReady',
  ServerDnsRecord: 'ServerDnsRecord',
  PrefectApiReady: 'PrefectApiReady',
  ServerSecurityGroup: 'ServerSecurityGroup',
  ServerIngressFromLoadBalancer: 'ServerIngressFromLoadBalancer',
  LambdaSecurityGroup: 'LambdaSecurityGroup',
  ServerLogGroup: 'ServerLogGroup',
  ServerExecutionRole: 'ServerExecutionRole',
  ServerTaskRole: 'ServerTaskRole',
  ServerTaskDefinition: 'ServerTaskDefinition',
  ServerService: 'ServerService',
  ServerApiTaskDefinition: 'ServerApiTaskDefinition',
  BackgroundServicesTaskDefinition: 'BackgroundServicesTaskDefinition',
  BackgroundServicesService: 'BackgroundServicesService',
  ServerApiScalableTarget: 'ServerApiScalableTarget',
  ServerApiScalingPolicy: 'ServerApiScalingPolicy',
  CacheAuthSecret: 'CacheAuthSecret',
  CacheSubnetGroup: 'CacheSubnetGroup',
  CacheSecurityGroup: 'CacheSecurityGroup',
  CacheIngressFromServer: 'CacheIngressFromServer',
  Cache: 'Cache',
  LoadBalancer5xxAlarm: 'LoadBalancer5xxAlarm',
  UnhealthyServerAlarm: 'UnhealthyServerAlarm',
  DatabaseCpuAlarm: 'DatabaseCpuAlarm',
  DatabaseStorageAlarm: 'DatabaseStorageAlarm',
  DatabaseConnectionsAlarm: 'DatabaseConnectionsAlarm',
  BackgroundServicesAlarm: 'BackgroundServicesAlarm',
} as const;

/** The two Availability Zones of a VPC the stack creates, numbered as their resources are. */
export const ZONES = [1, 2] as const;
export type Zone = (typeof ZONES)[number];

/** Resources a created VPC has once per zone. */
export const ZonalRes = {
  PublicSubnet: (zone: Zone) => `PublicSubnet${zone}` as const,
  PublicSubnetRoutes: (zone: Zone) => `PublicSubnet${zone}Routes` as const,
  PrivateSubnet: (zone: Zone) => `PrivateSubnet${zone}` as const,
  PrivateRouteTable: (zone: Zone) => `PrivateRouteTable${zone}` as const,
  PrivateSubnetRoutes: (zone: Zone) => `PrivateSubnet${zone}Routes` as const,
  NatAddress: (zone: Zone) => `NatAddress${zone}` as const,
  NatGateway: (zone: Zone) => `NatGateway${zone}` as const,
  PrivateDefaultRoute: (zone: Zone) => `PrivateDefaultRoute${zone}` as const,
  /** An internet-facing load balancer sees the stack's own clients at this zone's NAT address. */
  LoadBalancerIngressFromNat: (zone: Zone) => `LoadBalancerIngressFromNatGateway${zone}` as const,
};

/**
 * Interface endpoints a created VPC without NAT gateways needs, by service: image pulls (ecr.api,
 * ecr.dkr and the S3 gateway), task logs and secrets, the worker's task observer (sqs), RunTask
 * (ecs) and network look-ups (ec2), the scaler (ecs) and the registrar (ecr.api, ssm). Fargate
 * needs no ecs-agent/telemetry. test/templates/vpcEndpoints.test.ts checks every AWS API the
 * stack's code calls against this list.
 */
export const EndpointRes = {
  'ecr.api': 'EndpointEcrApi',
  'ecr.dkr': 'EndpointEcrDkr',
  logs: 'EndpointLogs',
  secretsmanager: 'EndpointSecretsmanager',
  sqs: 'EndpointSqs',
  ssm: 'EndpointSsm',
  ecs: 'EndpointEcs',
  ec2: 'EndpointEc2',
} as const;

/** The ports the server's load balancer listens on, and the stack's groups that call the API through it. */
export const LOAD_BALANCER_PORTS = [80, 443] as const;
export const API_CLIENT_GROUPS = [Res.WorkerSecurityGroup, Res.FlowRunSecurityGroup, Res.LambdaSecurityGroup] as const;

/** The rule that admits one client group on one load balancer port. */
export const loadBalancerIngressId = (port: (typeof LOAD_BALANCER_PORTS)[number], from: (typeof API_CLIENT_GROUPS)[number]) =>
  `LoadBalancerIngress${port}From${from}` as const;

export type ResId =
  | (typeof Res)[keyof typeof Res]
  | ReturnType<(typeof ZonalRes)[keyof typeof ZonalRes]>
  | (typeof EndpointRes)[keyof typeof EndpointRes]
  | ReturnType<typeof loadBalancerIngressId>;

/** The pseudo parameters the templates refer to. */
export const PSEUDO_PARAMETERS = ['AWS::AccountId', 'AWS::NoValue', 'AWS::Partition', 'AWS::Region', 'AWS::StackId', 'AWS::StackName', 'AWS::URLSuffix'] as const;
export type PseudoParam = (typeof PSEUDO_PARAMETERS)[number];

/** What `Ref` may name. */
export type RefId = ParamId | ResId | PseudoParam;
