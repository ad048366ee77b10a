/**
 * How the Lambdas authenticate to Prefect: Prefect Cloud takes `Authorization: Bearer <api key>`;
 * a self-hosted server with an auth string takes `Authorization: Basic base64(user:pass)`
 * (what the Prefect client sends for PREFECT_API_AUTH_STRING); an open server takes nothing.
 */
import { MissingCredentialError } from '../errors';

export const AUTH_MODES = ['api-key', 'auth-string', 'none'] as const;
export type AuthMode = (typeof AUTH_MODES)[number];

export function authorizationHeader(mode: AuthMode, credential: string | undefined): string | undefined {
  if (mode === 'none') return undefined;
  if (!credential) throw new MissingCredentialError(mode);
  return mode === 'api-key' ? `Bearer ${credential}` : `Basic ${Buffer.from(credential, 'utf8').toString('base64')}`;
}
