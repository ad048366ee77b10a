/**
 * One AWS API call of the JSON 1.1 protocol (ECR, Secrets Manager and SSM speak it): a POST of
 * the input as JSON with `X-Amz-Target: <prefix>.<Operation>`, signed by the SDK's own SigV4
 * signer, sent through ../http.ts (timeout per attempt, bounded retries with backoff, jitter and
 * Retry-After), retrying what the SDK's standard retry strategy retries: 5xx, 429, and the
 * throttling and transient error codes JSON services answer with HTTP 400 (ThrottlingException
 * from SSM's shared 40 TPS, for one). A function that makes a few such calls needs no SDK client:
 * each client carries tens of KB of error classes and schemas into the bundle and its cold start
 * (`npm run bench:lambdas`; README "Libraries"). Errors keep AWS's code as their name, as SDK
 * errors do, so callers test `error.name === 'ParameterNotFound'` either way; a 2xx answer that
 * is not a JSON object is an error too (InvalidResponse), never an empty answer.
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
  /** The host before the region, e.g. `api.ecr` for api.ecr.<region>.<URL suffix>. */
  readonly host: string;
}

export const ECR: AwsJsonService = { signingName: 'ecr', targetPrefix: 'AmazonEC2ContainerRegistry_V20150921', host: 'api.ecr' };
export const SECRETS_MANAGER: AwsJsonService = { signingName: 'secretsmanager', targetPrefix: 'secretsmanager', host: 'secretsmanager' };
export const SSM: AwsJsonService = { signingName: 'ssm', targetPrefix: 'AmazonSSM', host: 'ssm' };

export interface AwsJsonOptions {
  readonly region: string;
  /** @default the Lambda's role credentials from its environment (credential-provider-env) */
  readonly credentials?: () => Promise<AwsCredentials>;
  /**
   * The partition's domain: the stack passes `AWS::URLSuffix` (amazonaws.com, amazonaws.com.cn,
   * c2s.ic.gov, ...). FIPS endpoints are not used.
   * @default amazonaws.com, or amazonaws.com.cn in a cn- region
   */
  readonly urlSuffix?: string;
  /** @default https://<host>.<region>.<urlSuffix>; tests point it at moto */
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

/** The URL suffix of a region when the stack does not say (only the Lambda's tests and tools). */
export const defaultUrlSuffix = (region: string) => (region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com');

/**
 * The error codes the SDK's standard retry strategy retries (@smithy/core 3.41 retry module:
 * THROTTLING_ERROR_CODES, TRANSIENT_ERROR_CODES; test/lambdas/common/awsJson.test.ts checks them
 * against its isThrottlingError and isTransientError). JSON services send them with HTTP 400.
 */
const RETRIED_CODES = new Set([
  'BandwidthLimitExceeded', 'EC2ThrottledException', 'LimitExceededException', 'PriorRequestNotComplete', 'ProvisionedThroughputExceededException',
  'RequestLimitExceeded', 'RequestThrottled', 'RequestThrottledException', 'SlowDown', 'ThrottledException', 'Throttling', 'ThrottlingException',
  'TooManyRequestsException', 'TransactionInProgressException', 'TimeoutError', 'RequestTimeout', 'RequestTimeoutException',
]);

/** A JSON object, or undefined for anything else (HTML from a proxy, an empty or cut-off body). */
function jsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * AWS's error code: the body's `__type`, sometimes with its namespace
 * ("com.amazonaws.ssm#ParameterNotFound"), else the `x-amzn-errortype` header, which may carry
 * a URL after a colon ("ThrottlingException:http://internal.amazon.com/...").
 */
function errorCode(response: Response, body: Record<string, unknown> | undefined): string {
  const code = body?.__type ?? response.headers.get('x-amzn-errortype')?.split(':')[0];
  return code ? String(code).replace(/^.*#/, '') : `HTTP ${response.status}`;
}

/** Whether asking again may help: a 2xx body that is not JSON, 429, 5xx, a throttling or transient code. */
export async function retryableAwsAnswer(response: Response): Promise<boolean> {
  const body = jsonObject(await response.clone().text().catch(() => ''));
  if (response.ok) return body === undefined;
  return response.status === 429 || response.status >= 500 || RETRIED_CODES.has(errorCode(response, body));
}

/** Calls `operation` of `service` with `input`; the parsed JSON answer, or AwsApiError named after AWS's error code. */
export async function awsJsonCall(service: AwsJsonService, operation: string, input: object, options: AwsJsonOptions): Promise<Record<string, unknown>> {
  const { region } = options;
  const endpoint = new URL(options.endpoint ?? `https://${service.host}.${region}.${options.urlSuffix ?? defaultUrlSuffix(region)}`);
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
  const response = await fetchWithRetries(request, { timeoutMs: 5000, deadlineMs: 15_000, ...options.http, retryable: retryableAwsAnswer }, options.fetch);
  const answer = jsonObject(await response.text().catch(() => ''));
  if (!response.ok) throw new AwsApiError(service.signingName, operation, errorCode(response, answer), String(answer?.message ?? answer?.Message ?? ''));
  // Read as {} this would say "no such image" or "no value": a push skipped for good instead of retried.
  if (!answer) throw new AwsApiError(service.signingName, operation, 'InvalidResponse', `HTTP ${response.status} with a body that is not a JSON object`);
  return answer;
}
