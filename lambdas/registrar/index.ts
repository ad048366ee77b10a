/**
 * Lambda entry point of the registrar. It carries no AWS SDK client: its few ECR, SSM and Secrets
 * Manager calls are signed JSON calls (../common/aws/awsJson.ts), which keeps its bundle and cold
 * start within the budget `npm run bench:lambdas` measures (README "Libraries").
 */
import { JsonSecretReader, parameterReader } from '../common/aws/jsonReaders';
import { commaList, optionalString, readPrefectConnection, requireString, type EnvOf } from '../common/config';
import type { EnvName } from '../common/env';
import { createLogger } from '../common/log';
import { createPrefectClient } from '../common/prefect/client';
import { LambdaRuntimeEnv, RegistrarEnv } from './env';
import { createRegistrarHandler } from './handler';
import { CachedManifest } from './manifestSource';
import { metricsWriter } from './metrics';
import { jsonEcr } from './registration/images';

const env: EnvOf<EnvName<typeof RegistrarEnv> | EnvName<typeof LambdaRuntimeEnv>> = process.env;
const urlSuffix = optionalString(env, RegistrarEnv.UrlSuffix);
const aws = { region: requireString(env, LambdaRuntimeEnv.Region), urlSuffix };
const connection = readPrefectConnection(env);
const secrets = new JsonSecretReader(aws);

export const handler = createRegistrarHandler({
  // 10 s an attempt, 30 s a call: the handler starts no call with less than that (and 5 s to log) left.
  prefect: createPrefectClient(connection, { secrets, http: { timeoutMs: 10_000, deadlineMs: 30_000 } }),
  credential: { invalidate: () => connection.secretArn && secrets.invalidate(connection.secretArn) },
  ecr: jsonEcr(aws),
  manifest: new CachedManifest(parameterReader(aws), requireString(env, RegistrarEnv.ManifestParameter)),
  log: createLogger('registrar'),
  workPool: requireString(env, RegistrarEnv.WorkPool),
  watchedRepositories: commaList(env, RegistrarEnv.WatchedRepositories),
  urlSuffix,
  metrics: metricsWriter(requireString(env, LambdaRuntimeEnv.FunctionName)),
  reserveMs: 35_000,
});
