/**
 * Lambda entry point of the registrar. It carries no AWS SDK client: its few ECR, SSM and Secrets
 * Manager calls are signed JSON calls (../common/aws/awsJson.ts), which keeps its bundle and cold
 * start within the budget `npm run bench:lambdas` measures (README "Libraries").
 */
import { JsonSecretReader, parameterReader } from '../common/aws/jsonReaders';
import { readPrefectConnection, requireString } from '../common/config';
import { createLogger } from '../common/log';
import { createPrefectClient } from '../common/prefect/client';
import { LambdaRuntimeEnv, RegistrarEnv } from './env';
import { createRegistrarHandler } from './handler';
import { CachedManifest } from './manifestSource';
import { jsonEcr } from './registration/images';

const aws = { region: requireString(process.env, LambdaRuntimeEnv.Region) };
const workPool = requireString(process.env, RegistrarEnv.WorkPool);

export const handler = createRegistrarHandler({
  prefect: createPrefectClient(readPrefectConnection(process.env), { secrets: new JsonSecretReader(aws), http: { timeoutMs: 10_000, deadlineMs: 30_000 } }),
  ecr: jsonEcr(aws),
  manifest: new CachedManifest(parameterReader(aws), requireString(process.env, RegistrarEnv.ManifestParameter), { workPool }),
  log: createLogger('registrar'),
  workPool,
});
