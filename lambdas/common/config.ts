/**
 * Reads a Lambda's settings from environment variables, with errors that name the variable.
 * The environment is typed by its contract (`EnvOf<EnvName<typeof ScalerEnv>>`) and each reader
 * infers the allowed names from it alone (NoInfer), so reading a name the template does not
 * write fails to compile, as writing one does in the builders.
 */
import { PrefectEnv, type EnvName } from './env';
import { ConfigError } from './errors';
import { AUTH_MODES, type AuthMode } from './prefect/auth';

/** The variables of one contract, as `process.env` holds them: each may be missing. */
export type EnvOf<Name extends string> = Readonly<Partial<Record<Name, string>>>;

export function requireString<N extends string>(env: EnvOf<N>, name: NoInfer<N>): string {
  const value = env[name]?.trim();
  if (!value) throw new ConfigError(name, 'is not set');
  return value;
}

export function optionalString<N extends string>(env: EnvOf<N>, name: NoInfer<N>): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

export function requireInteger<N extends string>(env: EnvOf<N>, name: NoInfer<N>, min: number, max: number): number {
  const text = requireString(env, name);
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(name, `must be a whole number from ${min} to ${max} (got ${JSON.stringify(text)})`);
  }
  return value;
}

export function requireOneOf<N extends string, T extends string>(env: EnvOf<N>, name: NoInfer<N>, allowed: readonly T[]): T {
  const value = requireString(env, name);
  if (!(allowed as readonly string[]).includes(value)) {
    throw new ConfigError(name, `must be one of ${allowed.join('|')} (got ${JSON.stringify(value)})`);
  }
  return value as T;
}

/** A comma-separated list; empty entries are dropped. */
export const commaList = <N extends string>(env: EnvOf<N>, name: NoInfer<N>): string[] =>
  (env[name] ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

/** The stack's Prefect API and credential, as every Lambda of the stack receives them. */
export function readPrefectConnection(env: EnvOf<EnvName<typeof PrefectEnv>>): { apiUrl: string; authMode: AuthMode; secretArn?: string } {
  const authMode = requireOneOf(env, PrefectEnv.AuthMode, AUTH_MODES);
  const secretArn = optionalString(env, PrefectEnv.SecretArn);
  if (authMode !== 'none' && !secretArn) throw new ConfigError(PrefectEnv.SecretArn, `is not set but ${PrefectEnv.AuthMode} is ${authMode}`);
  return { apiUrl: requireString(env, PrefectEnv.ApiUrl), authMode, secretArn };
}
