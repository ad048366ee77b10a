/**
 * Answers CloudFormation: a PUT of the result document to the request's pre-signed S3 URL,
 * with retries. The body is sent as bytes so no Content-Type is added (the URL is signed
 * without one), and the reason is cut so the document stays within CloudFormation's 4 KB.
 */
import { fetchWithRetries, type FetchLike, type HttpPolicy } from '../common/http';
import { CfnResponseError } from './errors';

export interface CfnResponseDocument {
  Status: 'SUCCESS' | 'FAILED';
  Reason?: string;
  PhysicalResourceId: string;
  StackId: string;
  RequestId: string;
  LogicalResourceId: string;
  NoEcho?: boolean;
  Data?: Record<string, string>;
}

const MAX_DOCUMENT_BYTES = 4096;

export function encodeResponse(document: CfnResponseDocument): Uint8Array {
  let encoded = Buffer.from(JSON.stringify(document), 'utf8');
  if (encoded.length > MAX_DOCUMENT_BYTES && document.Reason) {
    const excess = encoded.length - MAX_DOCUMENT_BYTES + 20;
    encoded = Buffer.from(JSON.stringify({ ...document, Reason: `${document.Reason.slice(0, Math.max(0, document.Reason.length - excess))} (truncated)` }), 'utf8');
  }
  return encoded;
}

export async function sendCfnResponse(url: string, document: CfnResponseDocument, policy: HttpPolicy = {}, fetchImpl?: FetchLike): Promise<void> {
  const response = await fetchWithRetries(new Request(url, { method: 'PUT', body: encodeResponse(document) }), policy, fetchImpl);
  if (!response.ok) throw new CfnResponseError(response.status);
}
