/**
 * What the worker builders need from the stack around them: how to reach Prefect, when its API
 * answers, and which network to run in. The worker stack takes these from parameters; the
 * self-hosted server stack from the server, secret and VPC it creates. One set of builders
 * serves both.
 */
import { iff, noValue, ref, type Intrinsic } from '../core/cfn';
import { Cond, Param, type CondId, type ResId } from '../core/ids';
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
    },
    // Prefect Cloud or a server of the user's: it answers before this stack exists.
    apiReadyDependsOn: [],
    network: { vpcId: ref(Param.VpcId), subnetIds: ref(Param.SubnetIds), assignPublicIp: ref(Param.AssignPublicIp) },
  };
}
