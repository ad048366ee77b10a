/**
 * Secrets Manager and SSM reads over awsJson.ts, for a function that carries no SDK client:
 * GetSecretValue (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html)
 * and GetParameter (https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetParameter.html).
 */
import { SecretUnavailableError, errorMessage } from '../errors';
import { TtlCache } from '../ttlCache';
import { awsJsonCall, SECRETS_MANAGER, SSM, type AwsJsonOptions } from './awsJson';
import type { SecretReader } from './secrets';

/** The region of a secret, from its ARN (arn:<partition>:secretsmanager:<region>:...). */
const regionOf = (arn: string, fallback: string) => arn.split(':')[3] || fallback;

/** As CachedSecretReader (./secrets.ts), over one GetSecretValue call. */
export class JsonSecretReader implements SecretReader {
  private readonly cache: TtlCache<string, string>;

  constructor(
    private readonly options: AwsJsonOptions,
    /** How long a value is reused, in ms. @default 300000 (5 minutes) */
    ttlMs: number = 300_000,
    now: () => number = Date.now,
  ) {
    this.cache = new TtlCache(ttlMs, now);
  }

  get(secretArn: string): Promise<string> {
    return this.cache.getOrLoad(secretArn, async () => {
      let value: unknown;
      try {
        value = (await awsJsonCall(SECRETS_MANAGER, 'GetSecretValue', { SecretId: secretArn }, { ...this.options, region: regionOf(secretArn, this.options.region) })).SecretString;
      } catch (error) {
        throw new SecretUnavailableError(secretArn, errorMessage(error), { cause: error });
      }
      if (typeof value !== 'string' || !value) throw new SecretUnavailableError(secretArn, 'it has no string value');
      return value.trim();
    });
  }

  invalidate(secretArn: string): void {
    this.cache.delete(secretArn);
  }
}

/**
 * One SSM parameter's value, decrypted: WithDecryption is ignored for a String and makes a
 * SecureString readable (under the AWS managed key aws/ssm with no IAM change, which "grants
 * Decrypt permission to all IAM principals in the AWS account":
 * https://docs.aws.amazon.com/systems-manager/latest/userguide/ps-restrict-decryption.html; a
 * customer managed key needs kms:Decrypt). Throws an error named ParameterNotFound when it does not exist.
 */
export const parameterReader = (options: AwsJsonOptions) => ({
  async get(name: string): Promise<string | undefined> {
    const answer = await awsJsonCall(SSM, 'GetParameter', { Name: name, WithDecryption: true }, options);
    return (answer.Parameter as { Value?: string } | undefined)?.Value;
  },
});
