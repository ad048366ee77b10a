/**
 * The three events the registrar acts on, checked; anything else is an InvalidEventError.
 * - "ECR Image Action" (https://docs.aws.amazon.com/AmazonECR/latest/userguide/ecr-eventbridge.html)
 * - "Parameter Store Change" of the manifest parameter, `detail: {operation, name, type}`
 *   (https://docs.aws.amazon.com/systems-manager/latest/userguide/monitoring-systems-manager-event-examples.html#SSM-Parameter-Store-event-types)
 * - "Scheduled Event" of the reconcile schedule, `source: aws.events`
 *   (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-run-lambda-schedule.html)
 */
import { InvalidEventError } from '../common/errors';
import { DIGEST } from './registration/plan';

export interface ImageAction {
  readonly kind: 'image';
  readonly account: string;
  readonly region: string;
  readonly actionType: string;
  readonly result: string;
  readonly repository: string;
  readonly tag?: string;
  readonly digest: string;
}

export interface ManifestChange {
  readonly kind: 'manifest';
  readonly account: string;
  readonly region: string;
  readonly operation: string;
  readonly name: string;
}

/** The periodic reconcile: the manifest applied to the current images, repairing lost events. */
export interface Reconcile {
  readonly kind: 'reconcile';
  readonly account: string;
  readonly region: string;
}

export type RegistrarEvent = ImageAction | ManifestChange | Reconcile;

export function parseRegistrarEvent(event: unknown): RegistrarEvent {
  const e = event as Record<string, any> | null; // eslint-disable-line @typescript-eslint/no-explicit-any
  if (!e || typeof e !== 'object') throw new InvalidEventError('not an object');
  if (typeof e.account !== 'string' || typeof e.region !== 'string') throw new InvalidEventError('event without account or region', { source: e.source });
  const d = e.detail ?? {};
  if (e['detail-type'] === 'Scheduled Event' && e.source === 'aws.events') return { kind: 'reconcile', account: e.account, region: e.region };
  if (e['detail-type'] === 'Parameter Store Change' && e.source === 'aws.ssm') {
    if (typeof d.name !== 'string' || !d.name) throw new InvalidEventError('Parameter Store Change without a parameter name');
    return { kind: 'manifest', account: e.account, region: e.region, operation: String(d.operation ?? ''), name: d.name };
  }
  if (e['detail-type'] !== 'ECR Image Action' || e.source !== 'aws.ecr') {
    throw new InvalidEventError('neither an ECR Image Action, a Parameter Store Change nor a Scheduled Event', { source: e.source, detailType: e['detail-type'] });
  }
  if (typeof d['repository-name'] !== 'string' || !d['repository-name']) throw new InvalidEventError('ECR event without repository-name');
  if (typeof d['image-digest'] !== 'string' || !DIGEST.test(d['image-digest'])) throw new InvalidEventError('ECR event without a sha256 image-digest');
  return {
    kind: 'image',
    account: e.account,
    region: e.region,
    actionType: String(d['action-type'] ?? ''),
    result: String(d.result ?? ''),
    repository: d['repository-name'],
    tag: typeof d['image-tag'] === 'string' && d['image-tag'] ? d['image-tag'] : undefined,
    digest: d['image-digest'],
  };
}
