/** Reads a Lambda's settings from environment variables, with errors that name the variable. */
import { PrefectEnv } from './env';
import { ConfigError } from './errors';
import { AUTH_MODES, type AuthMode } from './prefect/auth';

export type Env = Readonly<Record<string, string | undefined>>;

export function requireString(env: Env, name: string): string {
  const value = env[name]?.trim();
  if (!value) throw new ConfigError(name, 'is not set');
  return value;
}

export function optionalString(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

export function requireInteger(env: Env, name: string, min: number, max: number): number {
  const text = requireString(env, name);
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(name, `must be a whole number from ${min} to ${max} (got ${JSON.stringify(text)})`);
  }
  return value;
}

export function requireOneOf<T extends string>(env: Env, name: string, allowed: readonly T[]): T {
  const value = requireString(env, name);
  if (!(allowed as readonly string[]).includes(value)) {
    throw new ConfigError(name, `must be one of ${allowed.join('|')} (got ${JSON.stringify(value)})`);
  }
  return value as T;
}

/** A comma-separated list; empty entries are dropped. */
export const commaList = (env: Env, name: string): string[] =>
  (env[name] ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

/** The stack's Prefect API and credential, as every Lambda of the stack receives them. */
export function readPrefectConnection(env: Env): { apiUrl: string; authMode: AuthMode; secretArn?: string } {
  const authMode = requireOneOf(env, PrefectEnv.AuthMode, AUTH_MODES);
  const secretArn = optionalString(env, PrefectEnv.SecretArn);
  if (authMode !== 'none' && !secretArn) throw new ConfigError(PrefectEnv.SecretArn, `is not set but ${PrefectEnv.AuthMode} is ${authMode}`);
  return { apiUrl: requireString(env, PrefectEnv.ApiUrl), authMode, secretArn };
}
