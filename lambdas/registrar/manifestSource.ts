/** Reads the manifest from its SSM parameter, cached briefly: editing it needs no redeploy. */
import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { ConfigError } from '../common/errors';
import { RegistrarEnv } from './env';
import { parseManifest, type Manifest } from './manifest';

export class CachedManifest {
  private cached?: { manifest: Manifest; expiresAt: number };

  constructor(
    private readonly ssm: Pick<SSMClient, 'send'>,
    private readonly parameterName: string,
    /** @default 60000 (one minute) */
    private readonly ttlMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Throws ManifestError for a bad manifest (reported, not retried) and AWS errors (retried). */
  async get(): Promise<Manifest> {
    if (this.cached && this.cached.expiresAt > this.now()) return this.cached.manifest;
    let text: string | undefined;
    try {
      text = (await this.ssm.send(new GetParameterCommand({ Name: this.parameterName }))).Parameter?.Value;
    } catch (error) {
      if ((error as Error).name === 'ParameterNotFound') throw new ConfigError(RegistrarEnv.ManifestParameter, `names ${this.parameterName}, which does not exist`);
      throw error;
    }
    const manifest = parseManifest(text ?? '', `ssm:${this.parameterName}`);
    this.cached = { manifest, expiresAt: this.now() + this.ttlMs };
    return manifest;
  }
}
