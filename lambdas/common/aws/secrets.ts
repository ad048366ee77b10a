/**
 * Reads secrets from Secrets Manager and keeps them for a while, so a warm Lambda does not
 * call Secrets Manager on every invocation, while a rotated secret is picked up within the TTL
 * (or at once after `invalidate`, e.g. when Prefect answers 401).
 */
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SecretUnavailableError, errorMessage } from '../errors';
import { TtlCache } from '../ttlCache';

export interface SecretReader {
  get(secretArn: string): Promise<string>;
  invalidate(secretArn: string): void;
}

export class CachedSecretReader implements SecretReader {
  private readonly cache: TtlCache<string, string>;

  constructor(
    private readonly client: Pick<SecretsManagerClient, 'send'>,
    /** How long a value is reused, in ms. @default 300000 (5 minutes) */
    ttlMs: number = 300_000,
    now: () => number = Date.now,
  ) {
    this.cache = new TtlCache(ttlMs, now);
  }

  get(secretArn: string): Promise<string> {
    return this.cache.getOrLoad(secretArn, () => this.read(secretArn));
  }

  invalidate(secretArn: string): void {
    this.cache.delete(secretArn);
  }

  private async read(secretArn: string): Promise<string> {
    let value: string | undefined;
    try {
      const output = await this.client.send(new GetSecretValueCommand({ SecretId: secretArn }));
      value = output.SecretString;
    } catch (error) {
      throw new SecretUnavailableError(secretArn, errorMessage(error), { cause: error });
    }
    if (!value) throw new SecretUnavailableError(secretArn, 'it has no string value');
    return value.trim();
  }
}
