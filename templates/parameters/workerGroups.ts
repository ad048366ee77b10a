/**
 * The worker stack's own parameter groups (worker, scaler, registrar, flow runs), with labels
 * and help text. Option values (resolved at synth time) become the defaults.
 */
import { MIN_STUCK_PENDING_SECONDS, STUCK_ACTIONS } from '../../lambdas/scaler/config';
import { FARGATE_SIZES, LOG_RETENTION_DAYS } from '../core/constants';
import { Param } from '../core/ids';
import { MAX_MIN_WORKERS, MAX_WATCHED_REPOSITORIES, type ResolvedWorkerStackOptions } from './options';
import { ECR_REPOSITORY_NAME, MANAGED_POLICY_ARNS_PATTERN, ONE_TO_HUNDRED_PATTERN, PINNED_IMAGE_PATTERN, ecrRepositoryListPattern } from './patterns';
import type { Group } from './types';

export function workerGroups(o: ResolvedWorkerStackOptions): Group[] {
  return [
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
        // Strings with exact allowed forms, so the MinWorkersAtMostMaxWorkers Rule can compare them.
        [Param.MinWorkers]: {
          label: 'Minimum workers',
          parameter: {
            Type: 'String',
            Description: `Workers kept running when nothing is due (0 to ${MAX_MIN_WORKERS}, at most MaxWorkers). 0 scales to zero.`,
            Default: String(o.scaling.minWorkers),
            AllowedValues: Array.from({ length: MAX_MIN_WORKERS + 1 }, (_, i) => String(i)),
          },
        },
        [Param.MaxWorkers]: {
          label: 'Maximum workers',
          parameter: {
            Type: 'String',
            Description: 'Upper bound of workers, 1 to 100.',
            Default: String(o.scaling.maxWorkers),
            AllowedPattern: ONE_TO_HUNDRED_PATTERN,
            ConstraintDescription: 'must be a whole number from 1 to 100 without leading zeros',
          },
        },
        [Param.SubmissionsPerWorker]: {
          label: 'Submissions per worker',
          parameter: {
            Type: 'Number',
            Description:
              'Flow runs one worker submits at once (prefect worker start --limit). A running flow run holds no slot (prefect-aws 0.6+); was RunsPerWorker.',
            Default: o.scaling.submissionsPerWorker,
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
        [Param.StuckPendingSeconds]: {
          label: 'Stuck PENDING after (seconds)',
          parameter: {
            Type: 'Number',
            Description: 'A flow run PENDING this long with no ECS task (its worker stopped before RunTask) is recovered as StuckPendingAction says.',
            Default: o.scaling.stuckPendingSeconds,
            MinValue: MIN_STUCK_PENDING_SECONDS,
            MaxValue: 86400,
          },
        },
        [Param.StuckPendingAction]: {
          label: 'Stuck PENDING action',
          parameter: {
            Type: 'String',
            Description: 'reschedule proposes a stuck run back to SCHEDULED (a worker takes it again), crash marks it Crashed, off leaves it.',
            AllowedValues: [...STUCK_ACTIONS],
            Default: o.scaling.stuckPendingAction,
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
            Type: 'String',
            Description: `Comma-separated ECR repositories (no spaces, up to ${MAX_WATCHED_REPOSITORIES}) whose pushes register deployments. Empty turns the registrar off unless the stack creates a repository.`,
            Default: o.manifest?.repositories.join(',') ?? '',
            AllowedPattern: ecrRepositoryListPattern(MAX_WATCHED_REPOSITORIES),
            ConstraintDescription: `must be up to ${MAX_WATCHED_REPOSITORIES} ECR repository names separated by commas, without spaces`,
          },
        },
        [Param.ManifestParameterName]: {
          label: 'Manifest SSM parameter',
          parameter: {
            Type: 'String',
            Description: o.manifest
              ? 'Optional: an SSM parameter (name starting with /) holding the JSON form of your prefect.yaml with ecr_triggers, used instead of the one stored in this stack.'
              : 'Name (starting with /) of the SSM parameter holding the JSON form of your prefect.yaml with ecr_triggers (npm run preview-registration -- --json prints it). An edit applies at once.',
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
            AllowedPattern: `^(${ECR_REPOSITORY_NAME})?$`,
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
            Type: 'String',
            Description: 'Comma-separated ARNs (no spaces, up to 20) of managed policies for the flow-run task role (what your flows may access). Empty grants nothing.',
            Default: '',
            AllowedPattern: MANAGED_POLICY_ARNS_PATTERN,
            ConstraintDescription: 'must be up to 20 IAM managed policy ARNs separated by commas, without spaces',
          },
        },
      },
    },
  ];
}
