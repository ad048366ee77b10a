/** Lambda entry point: real clients at module scope (reused while warm), config read once. */
import { ECSClient } from '@aws-sdk/client-ecs';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { AWS_CLIENT_CONFIG } from '../common/aws/clientConfig';
import { createLogger } from '../common/log';
import { writeMetrics } from '../common/metrics';
import { createPrefectClient } from '../common/prefect/client';
import { CachedSecretReader } from '../common/aws/secrets';
import type { EnvOf } from '../common/config';
import type { EnvName } from '../common/env';
import { Budget } from './budget';
import { readScalerConfig } from './config';
import type { ScalerEnv } from './env';
import { createScalerHandler } from './handler';

const log = createLogger('scaler');
const env: EnvOf<EnvName<typeof ScalerEnv>> = process.env;
const config = readScalerConfig(env);
const secrets = new CachedSecretReader(new SecretsManagerClient(AWS_CLIENT_CONFIG));
const budget = new Budget();

export const handler = createScalerHandler(config, {
  ecs: new ECSClient(AWS_CLIENT_CONFIG),
  prefect: createPrefectClient(config.prefect, { secrets, http: { timeoutMs: 5000, deadlineMs: 20_000, deadlineAt: budget.prefectDeadlineAt } }),
  secrets,
  log,
  writeMetrics: (line) => writeMetrics(line),
  now: () => new Date(),
  memory: {},
  budget,
});
