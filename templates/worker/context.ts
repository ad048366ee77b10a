/**
 * What the worker builders need from the stack around them: how to reach Prefect, when its API
 * answers, and which network to run in. The worker stack takes these from parameters; the
 * self-hosted server stack from the server, secret and VPC it creates. One set of builders
 * serves both.
 */
import type { ResourceBase } from 'cloudform';
import { iff, noValue, ref, type Intrinsic } from '../core/cfn';
import { Cond, Param, Res, type CondId, type ResId } from '../core/ids';
import { prefectSecretArn } from './secrets';

type Text = string | Intrinsic;

/** The variable Prefect reads the credential from, by auth mode. */
export const CREDENTIAL_VARIABLE = { 'api-key': 'PREFECT_API_KEY', 'auth-string': 'PREFECT_API_AUTH_STRING' } as const;

export interface PrefectConnection {
  readonly apiUrl: Text;
  /** api-key | auth-string | none, as the Lambdas read it. */
  readonly authMode: Text;
  /** The credential's secret ARN (meaningful only when there is a credential). */
  readonly secretArn: Text;
  /** PREFECT_API_KEY or PREFECT_API_AUTH_STRING. */
  readonly credentialVariable: Text;
  /** The condition under which a credential exists; undefined when there always is one. */
  readonly authCondition?: CondId;
  /**
   * What the PrefectSecretArn output shows: the secret the stack created (an existing secret's
   * ARN is the user's own input). An output must not pick between a conditional resource and a
   * parameter with Fn::If: AWS CloudFormation Validate flags that (W1001), even when the Fn::If
   * tests the secret's own Condition (test/integration/awsValidators.test.ts). README "Upgrading
   * an existing stack" says what that means for a stack that exported it.
   */
  readonly secretOutput: { readonly value: Text; readonly condition?: CondId };
}

export interface WorkerNetwork {
  readonly vpcId: Text;
  readonly subnetIds: string[] | Intrinsic;
  readonly assignPublicIp: Text;
}

export interface WorkerContext {
  readonly connection: PrefectConnection;
  /**
   * What must exist before the Prefect API answers. Every resource that calls the API while the
   * stack deploys (the work pool) depends on these; empty when the API is outside the stack.
   */
  readonly apiReadyDependsOn: readonly ResId[];
  readonly network: WorkerNetwork;
  /** Where the Lambdas run when they must reach a Prefect API inside the VPC. @default outside any VPC */
  readonly lambdaVpc?: { readonly subnetIds: string[] | Intrinsic; readonly securityGroupIds: (string | Intrinsic)[] };
}

/** `value` where the stack has a credential, nothing where it has none. */
export const whenAuthenticated = <T>(c: PrefectConnection, value: T): T | Intrinsic =>
  c.authCondition ? iff(c.authCondition, value, noValue()) : value;

/** The DependsOn of a resource that calls the Prefect API while the stack deploys. */
export const afterApiReady = (ctx: WorkerContext): { DependsOn?: ResId[] } =>
  ctx.apiReadyDependsOn.length > 0 ? { DependsOn: [...ctx.apiReadyDependsOn] } : {};

/** A resource that makes something call the Prefect API (a rule invoking a function), created once the API answers. */
export const whenApiReady = <R extends ResourceBase>(ctx: WorkerContext, resource: R): R =>
  ctx.apiReadyDependsOn.length > 0 ? (resource.dependsOn([...ctx.apiReadyDependsOn]) as R) : resource;

/** The secret ARN, or "" without a credential (for environment variables). */
export const secretArnOrEmpty = (c: PrefectConnection): Text => (c.authCondition ? iff(c.authCondition, c.secretArn, '') : c.secretArn);

/** The worker stack: everything from its parameters. */
export function parameterContext(): WorkerContext {
  return {
    connection: {
      apiUrl: ref(Param.PrefectApiUrl),
      authMode: ref(Param.PrefectAuthMode),
      secretArn: prefectSecretArn(),
      credentialVariable: iff(Cond.UseApiKey, CREDENTIAL_VARIABLE['api-key'], CREDENTIAL_VARIABLE['auth-string']),
      authCondition: Cond.HasAuth,
      secretOutput: { value: ref(Res.PrefectAuthSecret), condition: Cond.CreateAuthSecret },
    },
    // Prefect Cloud or a server of the user's: it answers before this stack exists.
    apiReadyDependsOn: [],
    network: { vpcId: ref(Param.VpcId), subnetIds: ref(Param.SubnetIds), assignPublicIp: ref(Param.AssignPublicIp) },
  };
}
