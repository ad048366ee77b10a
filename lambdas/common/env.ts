/**
 * The environment every Lambda of the stack receives, named once. The template builders
 * (templates/functions/) import these names to write the variables and the config readers
 * import them to read, so a rename changes both sides or fails to compile. Each function's
 * full contract is its own env.ts (scaler/, registrar/, work-pool/).
 */

/** How a Lambda reaches Prefect: the API and the credential's secret ARN, never its value. */
export const PrefectEnv = {
  /** Prefect's own setting name, which the worker container sets too: not ours to rename. */
  ApiUrl: 'PREFECT_API_URL',
  /** api-key | auth-string | none */
  AuthMode: 'PREFECT_AUTH_MODE',
  /** Empty with auth mode "none". */
  SecretArn: 'PREFECT_SECRET_ARN',
} as const;

/** Variables more than one function reads. */
export const SharedEnv = {
  /** The stack's work pool: the one the scaler measures, the registrar's default for deployments. */
  WorkPool: 'WORK_POOL',
} as const;

/** The variable names of a contract such as `typeof ScalerEnv`. */
export type EnvName<Contract extends Readonly<Record<string, string>>> = Contract[keyof Contract];
