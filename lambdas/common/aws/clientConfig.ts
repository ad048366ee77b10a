/**
 * Settings every AWS SDK client of the Lambdas uses: bounded retries (the SDK's standard mode:
 * exponential backoff with jitter on throttling and 5xx) and a timeout on every call.
 */
export const AWS_CLIENT_CONFIG = {
  maxAttempts: 3,
  retryMode: 'standard',
  requestHandler: { connectionTimeout: 2000, requestTimeout: 5000 },
} as const;
