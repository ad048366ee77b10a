import { tokensMatch } from '../../../lambdas/scaler-webhook/webhookAuth';

describe('webhook token comparison', () => {
  it('accepts only the exact token', () => {
    expect(tokensMatch('s3cret-token', 's3cret-token')).toBe(true);
    expect(tokensMatch('s3cret-tokem', 's3cret-token')).toBe(false);
    expect(tokensMatch('s3cret', 's3cret-token')).toBe(false);
    expect(tokensMatch('s3cret-token-and-more', 's3cret-token')).toBe(false);
    expect(tokensMatch(undefined, 's3cret-token')).toBe(false);
    expect(tokensMatch('', '')).toBe(false);
  });
});
