/** Lambda entry point of the registrar. */
import { ECRClient } from '@aws-sdk/client-ecr';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SSMClient } from '@aws-sdk/client-ssm';
import { AWS_CLIENT_CONFIG } from '../common/aws/clientConfig';
import { readPrefectConnection, requireString } from '../common/config';
import { createLogger } from '../common/log';
import { createPrefectClient } from '../common/prefect/client';
import { CachedSecretReader } from '../common/aws/secrets';
import { RegistrarEnv } from './env';
import { createRegistrarHandler } from './handler';
import { CachedManifest } from './manifestSource';

const secrets = new CachedSecretReader(new SecretsManagerClient(AWS_CLIENT_CONFIG));
const workPool = requireString(process.env, RegistrarEnv.WorkPool);

export const handler = createRegistrarHandler({
  prefect: createPrefectClient(readPrefectConnection(process.env), { secrets, http: { timeoutMs: 10_000, deadlineMs: 30_000 } }),
  ecr: new ECRClient(AWS_CLIENT_CONFIG),
  manifest: new CachedManifest(new SSMClient(AWS_CLIENT_CONFIG), requireString(process.env, RegistrarEnv.ManifestParameter), { workPool }),
  log: createLogger('registrar'),
  workPool,
});
