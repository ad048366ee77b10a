/**
 * Logical IDs of parameters, conditions and resources, as constants with typed helpers so a
 * typo fails to compile rather than to deploy.
 */
import { conditionRef, getAtt, ref, type Condition, type Intrinsic } from './cfn';

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
  RunsPerWorker: 'RunsPerWorker',
  LookaheadSeconds: 'LookaheadSeconds',
  IdleGraceSeconds: 'IdleGraceSeconds',
  FlowRunManagedPolicyArns: 'FlowRunManagedPolicyArns',
  EnableWebhook: 'EnableScalerWebhook',
  AlarmEmail: 'AlarmEmail',
  RemoveWorkPoolOnDelete: 'RemoveWorkPoolOnDelete',
  WatchedRepositories: 'WatchedRepositories',
  ManifestParameterName: 'ManifestParameterName',
  EcrRepositoryName: 'EcrRepositoryName',
  EcrImageTagMutability: 'EcrImageTagMutability',
  EcrKeepImages: 'EcrKeepImages',
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
  ObserverRule: 'EcsTaskStateChangeRule',
  LambdaDeadLetterQueue: 'LambdaDeadLetterQueue',
  LambdaDeadLetterQueuePolicy: 'LambdaDeadLetterQueuePolicy',
  ScalerRole: 'ScalerRole',
  ScalerLogGroup: 'ScalerLogGroup',
  ScalerFunction: 'ScalerFunction',
  ScalerScheduleRule: 'ScalerScheduleRule',
  ScalerScheduleRulePermission: 'ScalerScheduleRulePermission',
  ScalerTaskStateRule: 'ScalerTaskStateRule',
  ScalerTaskStateRulePermission: 'ScalerTaskStateRulePermission',
  WebhookTokenSecret: 'ScalerWebhookTokenSecret',
  ScalerFunctionUrl: 'ScalerFunctionUrl',
  ScalerFunctionUrlPermission: 'ScalerFunctionUrlPermission',
  ScalerFunctionUrlInvokePermission: 'ScalerFunctionUrlInvokePermission',
  AlarmTopic: 'AlarmTopic',
  AlarmEmailSubscription: 'AlarmEmailSubscription',
  ScalerErrorsAlarm: 'ScalerErrorsAlarm',
  PrefectUnreachableAlarm: 'PrefectUnreachableAlarm',
  LambdaDeadLetterAlarm: 'LambdaDeadLetterAlarm',
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
  EcrRepository: 'EcrRepository',
} as const;
export type ResId = (typeof Res)[keyof typeof Res];

export const refParam = (id: ParamId): Intrinsic => ref(id);
export const refRes = (id: ResId): Intrinsic => ref(id);
export const attr = (id: ResId, attribute: string): Intrinsic => getAtt(id, attribute);
export const cond = (id: CondId): Condition => conditionRef(id);
