/**
 * Stands in for @aws-sdk/credential-provider-node inside Lambda bundles (scripts/lib/bundle.ts
 * aliases it). Lambda always hands a function its role's credentials in environment variables,
 * so the node provider chain (SSO, INI files, IMDS, STS web identity ...) is dead weight: about
 * 95 KB of the bundle and of every cold start.
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';

export const defaultProvider = (init?: Parameters<typeof fromEnv>[0]) => fromEnv(init);
