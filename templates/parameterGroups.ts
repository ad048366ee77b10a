/**
 * The worker stack's parameters, grouped as the console shows them, with labels and help text.
 * Option values (resolved at synth time) become the defaults.
 */
import type Parameter from 'cloudform-types/types/parameter';
import { FARGATE_SIZES, LOG_RETENTION_DAYS } from './constants';
import { Param, type ParamId } from './ids';
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

export function workerGroups(o: ResolvedWorkerStackOptions): Group[] {
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
