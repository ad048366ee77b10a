/** Reads the manifest from its SSM parameter, cached briefly: editing it needs no redeploy. */
import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { ConfigError } from '../common/errors';
import { TtlCache } from '../common/ttlCache';
import { RegistrarEnv } from './env';
import { parseManifest, type Manifest } from './manifest';

export class CachedManifest {
  private readonly cache: TtlCache<string, Manifest>;

  constructor(
    private readonly ssm: Pick<SSMClient, 'send'>,
    private readonly parameterName: string,
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

  private async read(): Promise<Manifest> {
    let text: string | undefined;
    try {
      text = (await this.ssm.send(new GetParameterCommand({ Name: this.parameterName }))).Parameter?.Value;
    } catch (error) {
      if ((error as Error).name === 'ParameterNotFound') throw new ConfigError(RegistrarEnv.ManifestParameter, `names ${this.parameterName}, which does not exist`);
      throw error;
    }
    return parseManifest(text ?? '', `ssm:${this.parameterName}`);
  }
}
