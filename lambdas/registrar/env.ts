/** The registrar's environment: what templates/functions/registrar.ts writes and index.ts reads. */
import { PrefectEnv, SharedEnv } from '../common/env';

export const RegistrarEnv = {
  ...PrefectEnv,
  /** The SSM parameter holding the prefect.yaml with ecr_triggers. */
  ManifestParameter: 'MANIFEST_PARAMETER',
  /** Deployments whose manifest names no work pool go to this one. */
  WorkPool: SharedEnv.WorkPool,
} as const;

/** Set by Lambda itself, not by the template: the function's region. */
export const LambdaRuntimeEnv = { Region: 'AWS_REGION' } as const;
