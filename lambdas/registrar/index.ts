/**
 * Lambda entry point of the registrar. It carries no AWS SDK client: its few ECR, SSM and Secrets
 * Manager calls are signed JSON calls (../common/aws/awsJson.ts), which keeps its bundle and cold
 * start within the budget `npm run bench:lambdas` measures (README "Libraries").
 */
import { JsonSecretReader, parameterReader } from '../common/aws/jsonReaders';
import { readPrefectConnection, requireString, type EnvOf } from '../common/config';
import type { EnvName } from '../common/env';
import { createLogger } from '../common/log';
import { createPrefectClient } from '../common/prefect/client';
import { LambdaRuntimeEnv, RegistrarEnv } from './env';
import { createRegistrarHandler } from './handler';
import { CachedManifest } from './manifestSource';
import { jsonEcr } from './registration/images';

const env: EnvOf<EnvName<typeof RegistrarEnv> | EnvName<typeof LambdaRuntimeEnv>> = process.env;
const aws = { region: requireString(env, LambdaRuntimeEnv.Region) };
const workPool = requireString(env, RegistrarEnv.WorkPool);

export const handler = createRegistrarHandler({
  prefect: createPrefectClient(readPrefectConnection(env), { secrets: new JsonSecretReader(aws), http: { timeoutMs: 10_000, deadlineMs: 30_000 } }),
  ecr: jsonEcr(aws),
  manifest: new CachedManifest(parameterReader(aws), requireString(env, RegistrarEnv.ManifestParameter), { workPool }),
  log: createLogger('registrar'),
  workPool,
});
