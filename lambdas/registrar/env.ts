/** The registrar's environment: what templates/functions/registrar.ts writes and index.ts reads. */
import { PrefectEnv, SharedEnv } from '../common/env';

export const RegistrarEnv = {
  ...PrefectEnv,
  /** The SSM parameter holding the prefect.yaml with ecr_triggers. */
  ManifestParameter: 'MANIFEST_PARAMETER',
  /** Deployments whose manifest names no work pool go to this one; one naming another pool fails. */
  WorkPool: SharedEnv.WorkPool,
  /** Comma-separated: the repositories the stack's push rule and the registrar's role cover. */
  WatchedRepositories: 'WATCHED_REPOSITORIES',
  /** The partition's domain (AWS::URLSuffix), for AWS endpoints and the registry's host name. */
  UrlSuffix: 'AWS_URL_SUFFIX',
} as const;

/** Set by Lambda itself, not by the template: the function's region and name. */
export const LambdaRuntimeEnv = { Region: 'AWS_REGION', FunctionName: 'AWS_LAMBDA_FUNCTION_NAME' } as const;

/** The namespace of the registrar's metrics (dimension FunctionName); the template's alarm watches it. */
export const REGISTRAR_METRICS_NAMESPACE = 'PrefectEcsStack/Registrar';
