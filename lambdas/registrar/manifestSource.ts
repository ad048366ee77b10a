/**
 * Reads the manifest from its SSM parameter, cached briefly (a Parameter Store Change event
 * drops the cache at once). The parameter holds the JSON form that synth stores; a YAML text is
 * refused with the command that converts it, because the Lambda carries no YAML parser (it would
 * double the bundle; see README "Libraries").
 */
import { ConfigError } from '../common/errors';
import { TtlCache } from '../common/ttlCache';
import { RegistrarEnv } from './env';
import { ManifestError } from './errors';
import { checkManifest, type CheckOptions, type Manifest } from './manifest/check';

/**
 * How to turn a prefect.yaml into the JSON the parameter must hold: the preview, which reads it as
 * PyYAML does and checks it (a PyYAML one-liner would fail on unquoted dates and check nothing).
 */
export const JSON_FORM_HINT = 'store its JSON form: npm run preview-registration -- --manifest prefect.yaml --json (the "manifest" field)';

/** The parameter's text as a checked manifest. */
export function manifestFromParameter(text: string, file: string, options: CheckOptions): Manifest {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw new ManifestError(file, [`is not JSON (YAML, perhaps?): the registrar reads the JSON form of a prefect.yaml; ${JSON_FORM_HINT}`]);
  }
  return checkManifest(document, file, options);
}

export class CachedManifest {
  private readonly cache: TtlCache<string, Manifest>;

  constructor(
    /** Reads a parameter's value (aws/ssmParameter.ts); throws an error named ParameterNotFound when it is missing. */
    private readonly ssm: { get(name: string): Promise<string | undefined> },
    readonly parameterName: string,
    private readonly options: CheckOptions = {},
    /** @default 60000 (one minute) */
    ttlMs = 60_000,
    now: () => number = Date.now,
  ) {
    this.cache = new TtlCache(ttlMs, now);
  }

  /** Throws ManifestError for a bad manifest (reported, not retried) and AWS errors (retried). */
  get(): Promise<Manifest> {
    return this.cache.getOrLoad(this.parameterName, () => this.read());
  }

  /** Forget the kept manifest: the parameter has just changed. */
  invalidate(): void {
    this.cache.delete(this.parameterName);
  }

  private async read(): Promise<Manifest> {
    let text: string | undefined;
    try {
      text = await this.ssm.get(this.parameterName);
    } catch (error) {
      if ((error as Error).name === 'ParameterNotFound') throw new ConfigError(RegistrarEnv.ManifestParameter, `names ${this.parameterName}, which does not exist`);
      if ((error as Error).name === 'AccessDeniedException') {
        throw new ConfigError(RegistrarEnv.ManifestParameter, `names ${this.parameterName}, which the registrar may not read (a SecureString under a customer managed KMS key needs kms:Decrypt for its role): ${(error as Error).message}`, { cause: error });
      }
      throw error;
    }
    return manifestFromParameter(text ?? '', `ssm:${this.parameterName}`, this.options);
  }
}
