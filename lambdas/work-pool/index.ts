/** Lambda entry point of the work-pool custom resource. */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { AWS_CLIENT_CONFIG } from '../common/aws/clientConfig';
import { readPrefectConnection } from '../common/config';
import { createLogger } from '../common/log';
import { createPrefectClient } from '../common/prefect/client';
import { CachedSecretReader } from '../common/aws/secrets';
import { createWorkPoolHandler } from './handler';

const secrets = new CachedSecretReader(new SecretsManagerClient(AWS_CLIENT_CONFIG));

export const handler = createWorkPoolHandler({
  prefect: createPrefectClient(readPrefectConnection(process.env), { secrets, http: { timeoutMs: 10_000, deadlineMs: 45_000 } }),
  log: createLogger('work-pool'),
});
