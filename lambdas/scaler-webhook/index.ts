/** Lambda entry point of the scaler's webhook: clients at module scope, the token read at cold start. */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import { AWS_CLIENT_CONFIG } from '../common/aws/clientConfig';
import { CachedSecretReader } from '../common/aws/secrets';
import { requireString, type EnvOf } from '../common/config';
import type { EnvName } from '../common/env';
import { createLogger } from '../common/log';
import { ScalerWebhookEnv } from './env';

const env: EnvOf<EnvName<typeof ScalerWebhookEnv>> = process.env;
import { createWebhookHandler } from './handler';

const config = {
  queueUrl: requireString(env, ScalerWebhookEnv.TriggerQueueUrl),
  tokenSecretArn: requireString(env, ScalerWebhookEnv.WebhookTokenSecretArn),
};
const secrets = new CachedSecretReader(new SecretsManagerClient(AWS_CLIENT_CONFIG));
// Read the token while the function starts, so a rejected request costs no AWS call.
secrets.get(config.tokenSecretArn).catch(() => undefined);

export const handler = createWebhookHandler(config, {
  sqs: new SQSClient(AWS_CLIENT_CONFIG),
  secrets,
  log: createLogger('scaler-webhook'),
  now: () => new Date(),
});
