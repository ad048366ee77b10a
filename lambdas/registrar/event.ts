/** The EventBridge "ECR Image Action" event, checked; anything else is an InvalidEventError. */
import { InvalidEventError } from '../common/errors';
import { DIGEST } from './plan';

export interface ImageAction {
  readonly account: string;
  readonly region: string;
  readonly actionType: string;
  readonly result: string;
  readonly repository: string;
  readonly tag?: string;
  readonly digest: string;
}

export function parseImageAction(event: unknown): ImageAction {
  const e = event as Record<string, any> | null; // eslint-disable-line @typescript-eslint/no-explicit-any
  if (!e || typeof e !== 'object' || e['detail-type'] !== 'ECR Image Action' || e.source !== 'aws.ecr') {
    throw new InvalidEventError('not an ECR Image Action event', { source: e?.source, detailType: e?.['detail-type'] });
  }
  const d = e.detail ?? {};
  if (typeof d['repository-name'] !== 'string' || !d['repository-name']) throw new InvalidEventError('ECR event without repository-name');
  if (typeof d['image-digest'] !== 'string' || !DIGEST.test(d['image-digest'])) throw new InvalidEventError('ECR event without a sha256 image-digest');
  if (typeof e.account !== 'string' || typeof e.region !== 'string') throw new InvalidEventError('ECR event without account or region');
  return {
    account: e.account,
    region: e.region,
    actionType: String(d['action-type'] ?? ''),
    result: String(d.result ?? ''),
    repository: d['repository-name'],
    tag: typeof d['image-tag'] === 'string' && d['image-tag'] ? d['image-tag'] : undefined,
    digest: d['image-digest'],
  };
}
