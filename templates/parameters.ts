/**
 * Deploy-time parameters of the worker stack, the console form that presents them
 * (AWS::CloudFormation::Interface), the Rules that check combinations, and the Conditions the
 * other builders branch on. CloudFormation itself rejects bad values (AllowedValues,
 * AllowedPattern, Rules) before it creates anything.
 */
import type Parameter from 'cloudform-types/types/parameter';
import { and, conditionRef, equals, not, or, ref, type TemplateFragment } from './cfn';
import { FARGATE_SIZES, LOG_RETENTION_DAYS } from './constants';
import { Cond, Param, type ParamId } from './ids';
import { serverGroups } from './serverParameters';
import { MAX_WATCHED_REPOSITORIES, PINNED_IMAGE_PATTERN, WORK_POOL_NAME_PATTERN, type ResolvedWorkerStackOptions } from './options';

/** Prefect Cloud (`…/api/accounts/<id>/workspaces/<id>`) or a self-hosted server (`…/api`). */
export const PREFECT_API_URL_PATTERN =
  '^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~-]+)*/api(/accounts/[0-9a-fA-F-]{36}/workspaces/[0-9a-fA-F-]{36})?$';
export const SECRET_ARN_PATTERN = '^(arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+)?$';
export const AUTH_MODES = ['api-key', 'auth-string', 'none'] as const;

export interface ParameterSpec {
  readonly label: string;
  readonly parameter: Parameter;
}

export type Group = { readonly label: string; readonly parameters: Partial<Record<ParamId, ParameterSpec>> };

/** Which stack the parameters are for: the self-hosted stack makes its own API URL, credential and network. */
export type ParameterScope = 'worker' | 'server';

/** Parameters the server stack replaces with what it creates. */
const WORKER_STACK_ONLY: readonly ParamId[] = [
  Param.PrefectApiUrl,
  Param.PrefectAuthMode,
  Param.PrefectAuthSecretArn,
  Param.PrefectAuthValue,
  Param.VpcId,
  Param.SubnetIds,
  Param.AssignPublicIp,
];

function groups(o: ResolvedWorkerStackOptions, scope: ParameterScope): Group[] {
  const all = workerGroups(o);
  if (scope === 'worker') return all;
  const kept = all
    .map((g) => ({ ...g, parameters: Object.fromEntries(Object.entries(g.parameters).filter(([id]) => !WORKER_STACK_ONLY.includes(id as ParamId))) }))
    .filter((g) => Object.keys(g.parameters).length > 0);
  return [...serverGroups(o), ...kept];
}

function workerGroups(o: ResolvedWorkerStackOptions): Group[] {
  return [
    {
      label: 'Prefect',
      parameters: {
        [Param.PrefectApiUrl]: {
          label: 'Prefect API URL',
          parameter: {
            Type: 'String',
            Description:
              'Prefect Cloud: https://api.prefect.cloud/api/accounts/<account id>/workspaces/<workspace id>. Self-hosted: https://<host>/api.',
            AllowedPattern: PREFECT_API_URL_PATTERN,
            ConstraintDescription: 'must be an http(s) URL ending in /api, or a Prefect Cloud workspace URL',
          },
        },
        [Param.PrefectAuthMode]: {
          label: 'Authentication',
          parameter: {
            Type: 'String',
            Description:
              'api-key: a Prefect Cloud API key (sent as Bearer). auth-string: "user:pass" of a self-hosted server (PREFECT_API_AUTH_STRING). none: an open self-hosted server.',
            AllowedValues: [...AUTH_MODES],
            Default: 'api-key',
          },
        },
        [Param.PrefectAuthSecretArn]: {
          label: 'Existing credential secret ARN',
          parameter: {
            Type: 'String',
            Description:
              'ARN of an existing Secrets Manager secret whose plain-text value is the API key or auth string. Leave empty to create one from the value below.',
            Default: '',
            AllowedPattern: SECRET_ARN_PATTERN,
            ConstraintDescription: 'must be empty or a Secrets Manager secret ARN',
          },
        },
        [Param.PrefectAuthValue]: {
          label: 'New credential value',
          parameter: {
            Type: 'String',
            Description:
              'The API key or "user:pass" auth string; the stack stores it in a new Secrets Manager secret. Leave empty when you give a secret ARN above.',
            Default: '',
            NoEcho: true,
            MaxLength: 4096,
          },
        },
        [Param.WorkPoolName]: {
          label: 'Work pool',
          parameter: {
            Type: 'String',
            Description: 'Name of the Prefect ECS work pool the workers poll.',
            Default: o.workPoolName,
            AllowedPattern: WORK_POOL_NAME_PATTERN,
            ConstraintDescription: 'must be 1-63 letters, digits, ".", "_" or "-"',
          },
        },
        [Param.WorkQueues]: {
          label: 'Work queues',
          parameter: {
            Type: 'String',
            Description: 'Comma-separated work queues of the pool to poll. Empty polls every queue of the pool.',
            Default: '',
            AllowedPattern: '^([A-Za-z0-9][A-Za-z0-9._ -]*(,[A-Za-z0-9][A-Za-z0-9._ -]*)*)?$',
            ConstraintDescription: 'must be a comma-separated list of queue names',
          },
        },
      },
    },
    {
      label: 'Network',
      parameters: {
        [Param.VpcId]: {
          label: 'VPC',
          parameter: { Type: 'AWS::EC2::VPC::Id', Description: 'VPC of the worker and its flow-run tasks.' },
        },
        [Param.SubnetIds]: {
          label: 'Subnets',
          parameter: {
            Type: 'List<AWS::EC2::Subnet::Id>',
            Description: 'Subnets of the VPC above for workers and flow runs. Private subnets need a NAT gateway or VPC endpoints.',
          },
        },
        [Param.AssignPublicIp]: {
          label: 'Public IP',
          parameter: {
            Type: 'String',
            Description: 'ENABLED only for public subnets without a NAT gateway; tasks still accept no inbound traffic.',
            AllowedValues: ['DISABLED', 'ENABLED'],
            Default: 'DISABLED',
          },
        },
        [Param.ExistingClusterName]: {
          label: 'Existing ECS cluster',
          parameter: {
            Type: 'String',
            Description: 'Name of an ECS cluster to use. Empty creates one with FARGATE and FARGATE_SPOT capacity providers.',
            Default: '',
            AllowedPattern: '^[A-Za-z0-9_-]{0,255}$',
            ConstraintDescription: 'must be empty or an ECS cluster name (letters, digits, "-" and "_")',
          },
        },
      },
    },
    {
      label: 'Worker',
      parameters: {
        [Param.WorkerImage]: {
          label: 'Worker image',
          parameter: {
            Type: 'String',
            Description: 'prefect-aws image with a pinned version tag or digest (not "latest").',
            Default: o.workerImage,
            AllowedPattern: PINNED_IMAGE_PATTERN,
            ConstraintDescription: 'must be pinned to a version tag or a sha256 digest, not "latest" or untagged',
          },
        },
        [Param.WorkerSize]: {
          label: 'Worker size (CPU units/MiB)',
          parameter: {
            Type: 'String',
            Description: 'Fargate CPU units and memory of one worker task; only valid Fargate pairs are offered.',
            Default: o.workerSize,
            AllowedValues: [...FARGATE_SIZES],
          },
        },
        [Param.UseFargateSpot]: {
          label: 'Fargate Spot',
          parameter: {
            Type: 'String',
            Description: 'Run workers on Fargate Spot (about 70% cheaper; a reclaimed worker is replaced).',
            AllowedValues: ['true', 'false'],
            Default: 'false',
          },
        },
        [Param.LogRetentionDays]: {
          label: 'Log retention (days)',
          parameter: {
            Type: 'Number',
            Description: 'Retention of the worker and flow-run log groups.',
            Default: o.logRetentionDays,
            AllowedValues: [...LOG_RETENTION_DAYS],
          },
        },
        [Param.MinWorkers]: {
          label: 'Minimum workers',
          parameter: {
            Type: 'Number',
            Description: 'Workers kept running when nothing is due. 0 scales to zero.',
            Default: o.scaling.minWorkers,
            MinValue: 0,
            MaxValue: 100,
          },
        },
        [Param.MaxWorkers]: {
          label: 'Maximum workers',
          parameter: { Type: 'Number', Description: 'Upper bound of workers.', Default: o.scaling.maxWorkers, MinValue: 1, MaxValue: 100 },
        },
        [Param.RunsPerWorker]: {
          label: 'Runs per worker',
          parameter: {
            Type: 'Number',
            Description: 'Flow runs one worker submits at once (prefect worker start --limit).',
            Default: o.scaling.runsPerWorker,
            MinValue: 1,
            MaxValue: 100,
          },
        },
        [Param.LookaheadSeconds]: {
          label: 'Look-ahead (seconds)',
          parameter: {
            Type: 'Number',
            Description: 'Scheduled runs due within this window wake a worker ahead of time.',
            Default: o.scaling.lookaheadSeconds,
            MinValue: 0,
            MaxValue: 86400,
          },
        },
        [Param.IdleGraceSeconds]: {
          label: 'Idle grace (seconds)',
          parameter: {
            Type: 'Number',
            Description: 'Time after the last run ended before workers scale in.',
            Default: o.scaling.idleGraceSeconds,
            MinValue: 0,
            MaxValue: 86400,
          },
        },
      },
    },
    {
      label: 'Scaler',
      parameters: {
        [Param.EnableWebhook]: {
          label: 'Webhook',
          parameter: {
            Type: 'String',
            Description:
              'true adds an HTTPS webhook (Lambda function URL) that a Prefect Automation calls on "flow run scheduled/pending" to start a worker within seconds; its token is a generated secret.',
            AllowedValues: ['true', 'false'],
            Default: 'false',
          },
        },
        [Param.AlarmEmail]: {
          label: 'Alarm e-mail',
          parameter: {
            Type: 'String',
            Description: 'Optional e-mail subscribed to the alarm topic (scaler errors, Prefect unreachable, dead letters).',
            Default: '',
            AllowedPattern: '^([^@\\s]+@[^@\\s]+\\.[^@\\s]+)?$',
            ConstraintDescription: 'must be empty or an e-mail address',
          },
        },
      },
    },
    {
      label: 'Registrar (deployments from ECR pushes)',
      parameters: {
        [Param.WatchedRepositories]: {
          label: 'Watched ECR repositories',
          parameter: {
            Type: 'CommaDelimitedList',
            Description: `ECR repositories whose pushes register deployments (up to ${MAX_WATCHED_REPOSITORIES}). Empty turns the registrar off unless the stack creates a repository.`,
            Default: o.manifest?.repositories.join(',') ?? '',
          },
        },
        [Param.ManifestParameterName]: {
          label: 'Manifest SSM parameter',
          parameter: {
            Type: 'String',
            Description: o.manifest
              ? 'Optional: an SSM parameter (name starting with /) holding your prefect.yaml with ecr_triggers, used instead of the one stored in this stack.'
              : 'Name (starting with /) of the SSM parameter holding your prefect.yaml with ecr_triggers. The registrar re-reads it within a minute of an edit.',
            Default: '',
            AllowedPattern: '^(/[A-Za-z0-9_.\\-/]+)?$',
            ConstraintDescription: 'must be empty or an SSM parameter name starting with /',
          },
        },
        [Param.EcrRepositoryName]: {
          label: 'Create ECR repository',
          parameter: {
            Type: 'String',
            Description: 'Optional: the stack creates this ECR repository (scan on push, lifecycle policy) and watches it.',
            Default: '',
            AllowedPattern: '^((?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*)?$',
            ConstraintDescription: 'must be empty or an ECR repository name (lowercase, digits, ".", "_", "-", "/")',
          },
        },
        [Param.EcrImageTagMutability]: {
          label: 'Tag immutability',
          parameter: {
            Type: 'String',
            Description: 'IMMUTABLE forbids re-pushing a tag (then trigger on version tags only); MUTABLE allows moving tags such as "main".',
            AllowedValues: ['MUTABLE', 'IMMUTABLE'],
            Default: 'MUTABLE',
          },
        },
        [Param.EcrKeepImages]: {
          label: 'Images kept',
          parameter: { Type: 'Number', Description: 'The lifecycle policy keeps this many most recent images.', Default: 30, MinValue: 1, MaxValue: 1000 },
        },
      },
    },
    {
      label: 'Flow runs',
      parameters: {
        [Param.RemoveWorkPoolOnDelete]: {
          label: 'Remove work pool on delete',
          parameter: {
            Type: 'String',
            Description:
              'true deletes the Prefect work pool (and with it its deployments) when the stack is deleted. false leaves it in Prefect.',
            AllowedValues: ['true', 'false'],
            Default: 'false',
          },
        },
        [Param.FlowRunManagedPolicyArns]: {
          label: 'Flow-run managed policies',
          parameter: {
            Type: 'CommaDelimitedList',
            Description: 'Comma-separated ARNs of managed policies for the flow-run task role (what your flows may access). Empty grants nothing.',
            Default: '',
            AllowedPattern: '^(arn:aws[a-z-]*:iam::([0-9]{12}|aws):policy/.+)?$',
            ConstraintDescription: 'each entry must be an IAM managed policy ARN',
          },
        },
      },
    },
  ];
}

/** Parameters, their Conditions and Rules. */
export function buildWorkerParameters(o: ResolvedWorkerStackOptions, scope: ParameterScope = 'worker'): TemplateFragment {
  const Parameters: NonNullable<TemplateFragment['Parameters']> = {};
  for (const group of groups(o, scope)) {
    for (const [id, spec] of Object.entries(group.parameters)) Parameters[id] = spec!.parameter;
  }
  const authMode = ref(Param.PrefectAuthMode);
  const secretArnGiven = not(equals(ref(Param.PrefectAuthSecretArn), ''));
  const valueGiven = not(equals(ref(Param.PrefectAuthValue), ''));
  const connectionConditions = {
    [Cond.HasAuth]: not(equals(authMode, 'none')),
    [Cond.CreateAuthSecret]: and(not(equals(authMode, 'none')), valueGiven),
    [Cond.UseExistingAuthSecret]: and(not(equals(authMode, 'none')), secretArnGiven),
    [Cond.UseApiKey]: equals(authMode, 'api-key'),
  };
  const connectionRules = {
    CredentialGivenOnce: {
      RuleCondition: not(equals(authMode, 'none')),
      Assertions: [
        {
          Assert: or(secretArnGiven, valueGiven),
          AssertDescription: 'With api-key or auth-string authentication, give PrefectAuthSecretArn or PrefectAuthValue.',
        },
        {
          Assert: not(and(secretArnGiven, valueGiven)),
          AssertDescription: 'Give either PrefectAuthSecretArn or PrefectAuthValue, not both.',
        },
      ],
    },
    NoCredentialWithoutAuth: {
      RuleCondition: equals(authMode, 'none'),
      Assertions: [
        {
          Assert: and(not(secretArnGiven), not(valueGiven)),
          AssertDescription: 'PrefectAuthMode is none: leave PrefectAuthSecretArn and PrefectAuthValue empty (or pick api-key/auth-string).',
        },
      ],
    },
  };
  return {
    Parameters,
    Conditions: {
      ...(scope === 'worker' ? connectionConditions : {}),
      [Cond.CreateCluster]: equals(ref(Param.ExistingClusterName), ''),
      [Cond.UseFargateSpot]: equals(ref(Param.UseFargateSpot), 'true'),
      [Cond.HasFlowRunPolicies]: not(equals(joinedFlowRunPolicyArns(), '')),
      [Cond.EnableWebhook]: equals(ref(Param.EnableWebhook), 'true'),
      [Cond.HasAlarmEmail]: not(equals(ref(Param.AlarmEmail), '')),
      [Cond.CreateEcrRepository]: not(equals(ref(Param.EcrRepositoryName), '')),
      [Cond.RegistrarEnabled]: or(not(equals({ 'Fn::Join': ['', ref(Param.WatchedRepositories)] }, '')), conditionRef(Cond.CreateEcrRepository)),
    },
    Rules: {
      ...(o.manifest ? {} : registrarNeedsManifest()),
      ...(scope === 'worker' ? connectionRules : {}),
    },
  };
}

/** Without a manifest stored in the stack, watching repositories needs the SSM parameter that holds one. */
function registrarNeedsManifest() {
  return {
    RegistrarNeedsManifest: {
      RuleCondition: or(not(equals({ 'Fn::Join': ['', ref(Param.WatchedRepositories)] }, '')), not(equals(ref(Param.EcrRepositoryName), ''))),
      Assertions: [
        {
          Assert: not(equals(ref(Param.ManifestParameterName), '')),
          AssertDescription:
            'The registrar is on (WatchedRepositories or EcrRepositoryName is set): give ManifestParameterName, the SSM parameter that holds your prefect.yaml with ecr_triggers.',
        },
      ],
    },
  };
}

/** `Fn::Join` of the list gives "" exactly when the CommaDelimitedList parameter is empty. */
function joinedFlowRunPolicyArns() {
  return { 'Fn::Join': ['', ref(Param.FlowRunManagedPolicyArns)] };
}

/** The console form: parameter groups in the order above, with labels. */
export function buildWorkerInterface(o: ResolvedWorkerStackOptions, scope: ParameterScope = 'worker'): Record<string, unknown> {
  const all = groups(o, scope);
  return {
    'AWS::CloudFormation::Interface': {
      ParameterGroups: all.map((g) => ({ Label: { default: g.label }, Parameters: Object.keys(g.parameters) })),
      ParameterLabels: Object.fromEntries(
        all.flatMap((g) => Object.entries(g.parameters).map(([id, spec]) => [id, { default: spec!.label }])),
      ),
    },
  };
}
