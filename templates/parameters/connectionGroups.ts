/**
 * The parameter groups that say how the worker reaches Prefect and where it runs. The server
 * stack replaces most of them with what it creates (see buildParameters.ts).
 */
import { AUTH_MODES } from '../../lambdas/common/prefect/auth';
import { Param } from '../core/ids';
import { PREFECT_API_URL_PATTERN, SECRET_ARN_PATTERN, WORK_POOL_NAME_PATTERN, WORK_POOL_NAME_RULE } from './patterns';
import type { ResolvedWorkerStackOptions } from './options';
import type { Group } from './types';

export function connectionGroups(o: ResolvedWorkerStackOptions): Group[] {
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
            ConstraintDescription: `must be ${WORK_POOL_NAME_RULE}`,
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
  ];
}
