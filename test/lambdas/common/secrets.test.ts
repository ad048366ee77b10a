import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { SecretUnavailableError } from '../../../lambdas/common/errors';
import { CachedSecretReader } from '../../../lambdas/common/aws/secrets';

const ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:prefect-AbCdEf';

describe('cached secret reader', () => {
  it('reads once within the TTL, again after it or after invalidate', async () => {
    const sm = mockClient(SecretsManagerClient);
    sm.on(GetSecretValueCommand).resolves({ SecretString: ' key-1\n' });
    let now = 0;
    const reader = new CachedSecretReader(new SecretsManagerClient({ region: 'us-east-1' }), 1000, () => now);
    expect(await reader.get(ARN)).toBe('key-1');
    now = 999;
    await reader.get(ARN);
    expect(sm).toHaveReceivedCommandTimes(GetSecretValueCommand, 1);
    now = 1000;
    await reader.get(ARN);
    expect(sm).toHaveReceivedCommandTimes(GetSecretValueCommand, 2);
    reader.invalidate(ARN);
    await reader.get(ARN);
    expect(sm).toHaveReceivedCommandWith(GetSecretValueCommand, { SecretId: ARN });
    expect(sm).toHaveReceivedCommandTimes(GetSecretValueCommand, 3);
  });

  it('names the secret when it is missing or empty, without its value', async () => {
    const sm = mockClient(SecretsManagerClient);
    const reader = new CachedSecretReader(new SecretsManagerClient({ region: 'us-east-1' }));
    sm.on(GetSecretValueCommand).rejects(Object.assign(new Error("Secrets Manager can't find the specified secret."), { name: 'ResourceNotFoundException' }));
    await expect(reader.get(ARN)).rejects.toThrow(SecretUnavailableError);
    await expect(reader.get(ARN)).rejects.toThrow(`cannot read secret ${ARN}: Secrets Manager can't find the specified secret.`);
    sm.on(GetSecretValueCommand).resolves({ SecretBinary: new Uint8Array([1]) });
    await expect(reader.get(ARN)).rejects.toThrow(`cannot read secret ${ARN}: it has no string value`);
  });
});
