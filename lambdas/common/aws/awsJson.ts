/**
 * One AWS API call of the JSON 1.1 protocol (ECR, Secrets Manager and SSM speak it): a POST of
 * the input as JSON with `X-Amz-Target: <prefix>.<Operation>`, signed by the SDK's own SigV4
 * signer, sent through ../http.ts (timeout per attempt, bounded retries with backoff, jitter and
 * Retry-After on 5xx and 429). A function that makes a few such calls needs no SDK client: each
 * client carries tens of KB of error classes and schemas into the bundle and its cold start
 * (`npm run bench:lambdas`; README "Libraries"). Errors keep AWS's code as their name, as SDK
 * errors do, so callers test `error.name === 'ParameterNotFound'` either way.
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';
import { SignatureV4 } from '@smithy/signature-v4';
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { AwsApiError } from '../errors';
import { fetchWithRetries, type FetchLike, type HttpPolicy } from '../http';

export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** A JSON 1.1 service: its signing name, target prefix and endpoint host. */
export interface AwsJsonService {
  readonly signingName: string;
  readonly targetPrefix: string;
  /** The host before the region, e.g. `api.ecr` for api.ecr.<region>.amazonaws.com. */
  readonly host: string;
}

export const ECR: AwsJsonService = { signingName: 'ecr', targetPrefix: 'AmazonEC2ContainerRegistry_V20150921', host: 'api.ecr' };
export const SECRETS_MANAGER: AwsJsonService = { signingName: 'secretsmanager', targetPrefix: 'secretsmanager', host: 'secretsmanager' };
export const SSM: AwsJsonService = { signingName: 'ssm', targetPrefix: 'AmazonSSM', host: 'ssm' };

export interface AwsJsonOptions {
  readonly region: string;
  /** @default the Lambda's role credentials from its environment (credential-provider-env) */
  readonly credentials?: () => Promise<AwsCredentials>;
  /** @default https://<host>.<region>.amazonaws.com (.com.cn in China); tests point it at moto */
  readonly endpoint?: string;
  /** @default {timeoutMs: 5000, deadlineMs: 15000} with ../retry.ts's attempts and backoff */
  readonly http?: HttpPolicy;
  /** @default global fetch */
  readonly fetch?: FetchLike;
}

type SourceData = string | ArrayBuffer | ArrayBufferView;
const bytes = (data: SourceData) => (typeof data === 'string' ? data : ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data));

/** SHA-256 and HMAC-SHA-256 from node:crypto in the shape the signer takes. */
class NodeSha256 {
  private readonly hash: Hash | Hmac;
  constructor(secret?: SourceData) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: SourceData): void {
    this.hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

const environmentCredentials = fromEnv();

/** Calls `operation` of `service` with `input`; the parsed JSON answer, or AwsApiError named after AWS's error code. */
export async function awsJsonCall(service: AwsJsonService, operation: string, input: object, options: AwsJsonOptions): Promise<Record<string, unknown>> {
  const { region } = options;
  const endpoint = new URL(options.endpoint ?? `https://${service.host}.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}`);
  const signer = new SignatureV4({ service: service.signingName, region, credentials: options.credentials ?? environmentCredentials, sha256: NodeSha256 });
  const body = JSON.stringify(input);
  const signed = await signer.sign({
    method: 'POST',
    protocol: endpoint.protocol,
    hostname: endpoint.hostname,
    port: endpoint.port ? Number(endpoint.port) : undefined,
    path: '/',
    headers: { host: endpoint.host, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `${service.targetPrefix}.${operation}` },
    body,
  });
  const request = new Request(endpoint, { method: 'POST', headers: signed.headers as Record<string, string>, body });
  const response = await fetchWithRetries(request, options.http ?? { timeoutMs: 5000, deadlineMs: 15_000 }, options.fetch);
  const answer = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok) {
    // "__type" is the error code, sometimes with its namespace ("com.amazonaws.ssm#ParameterNotFound").
    const code = String(answer.__type ?? `HTTP ${response.status}`).replace(/^.*#/, '');
    throw new AwsApiError(service.signingName, operation, code, String(answer.message ?? answer.Message ?? ''));
  }
  return answer;
}
