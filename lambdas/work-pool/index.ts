/** Lambda entry point of the work-pool custom resource. */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { AWS_CLIENT_CONFIG } from '../common/aws/clientConfig';
import { readPrefectConnection, type EnvOf } from '../common/config';
import type { EnvName } from '../common/env';
import { createLogger } from '../common/log';
import { createPrefectClient } from '../common/prefect/client';
import { CachedSecretReader } from '../common/aws/secrets';
import type { WorkPoolEnv } from './env';
import { createWorkPoolHandler } from './handler';

const env: EnvOf<EnvName<typeof WorkPoolEnv>> = process.env;

const secrets = new CachedSecretReader(new SecretsManagerClient(AWS_CLIENT_CONFIG));

export const handler = createWorkPoolHandler({
  prefect: createPrefectClient(readPrefectConnection(env), { secrets, http: { timeoutMs: 10_000, deadlineMs: 45_000 } }),
  log: createLogger('work-pool'),
});
