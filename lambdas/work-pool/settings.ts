/**
 * What the stack owns in the work pool, read from the custom resource's properties. Every
 * property is checked here so a wiring mistake fails the stack with a message naming it.
 */
import { AUTH_MODES, type AuthMode } from '../common/prefect/auth';
import { InvalidPropertiesError } from './errors';

export interface PoolSettings {
  readonly workPoolName: string;
  readonly cluster: string;
  readonly executionRoleArn: string;
  readonly taskRoleArn: string;
  readonly vpcId: string;
  readonly subnets: readonly string[];
  readonly securityGroups: readonly string[];
  readonly assignPublicIp: 'ENABLED' | 'DISABLED';
  readonly logGroupName: string;
  readonly logStreamPrefix: string;
  readonly region: string;
  readonly launchType: 'FARGATE' | 'FARGATE_SPOT';
  readonly authMode: AuthMode;
  /** The credential flow runs receive from Secrets Manager; absent with authMode "none". */
  readonly credentialSecretArn?: string;
  readonly removeOnDelete: boolean;
}

type Props = Record<string, unknown>;

function text(props: Props, name: string): string {
  const value = props[name];
  if (typeof value !== 'string' || value.trim() === '') throw new InvalidPropertiesError(name, 'must be a non-empty string');
  return value.trim();
}

function list(props: Props, name: string): string[] {
  const value = props[name];
  const items = typeof value === 'string' ? value.split(',') : value;
  if (!Array.isArray(items) || items.length === 0 || items.some((item) => typeof item !== 'string' || item.trim() === '')) {
    throw new InvalidPropertiesError(name, 'must be a non-empty list of strings');
  }
  return items.map((item) => (item as string).trim());
}

function oneOf<T extends string>(props: Props, name: string, allowed: readonly T[]): T {
  const value = text(props, name);
  if (!(allowed as readonly string[]).includes(value)) throw new InvalidPropertiesError(name, `must be one of ${allowed.join('|')} (got ${JSON.stringify(value)})`);
  return value as T;
}

export function readPoolSettings(props: Props | undefined): PoolSettings {
  if (!props) throw new InvalidPropertiesError('ResourceProperties', 'are missing');
  const authMode = oneOf(props, 'AuthMode', AUTH_MODES);
  const secret = typeof props.CredentialSecretArn === 'string' ? props.CredentialSecretArn.trim() : '';
  if (authMode !== 'none' && !secret) throw new InvalidPropertiesError('CredentialSecretArn', `must be set when AuthMode is ${authMode}`);
  return {
    workPoolName: text(props, 'WorkPoolName'),
    cluster: text(props, 'Cluster'),
    executionRoleArn: text(props, 'ExecutionRoleArn'),
    taskRoleArn: text(props, 'TaskRoleArn'),
    vpcId: text(props, 'VpcId'),
    subnets: list(props, 'Subnets'),
    securityGroups: list(props, 'SecurityGroups'),
    assignPublicIp: oneOf(props, 'AssignPublicIp', ['ENABLED', 'DISABLED'] as const),
    logGroupName: text(props, 'LogGroupName'),
    logStreamPrefix: text(props, 'LogStreamPrefix'),
    region: text(props, 'Region'),
    launchType: oneOf(props, 'LaunchType', ['FARGATE', 'FARGATE_SPOT'] as const),
    authMode,
    credentialSecretArn: authMode === 'none' ? undefined : secret,
    removeOnDelete: oneOf(props, 'RemoveOnDelete', ['true', 'false'] as const) === 'true',
  };
}
