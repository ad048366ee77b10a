import { referencedIds } from '../references';
import type { CfnTemplate, Verdict } from '../types';

/** Which AWS service principal delivers to which resource: EventBridge targets and DLQs, CloudWatch alarm actions. */
function servicePublishers(template: CfnTemplate, target: string): Set<string> {
  const publishers = new Set<string>();
  for (const resource of Object.values(template.Resources)) {
    const p = (resource.Properties ?? {}) as Record<string, unknown>;
    if (resource.Type === 'AWS::Events::Rule') {
      for (const t of (p.Targets as { Arn?: unknown; DeadLetterConfig?: { Arn?: unknown } }[]) ?? []) {
        if ([...referencedIds(t.Arn), ...referencedIds(t.DeadLetterConfig?.Arn)].includes(target)) publishers.add('events.amazonaws.com');
      }
    }
    if (resource.Type === 'AWS::CloudWatch::Alarm' && referencedIds([p.AlarmActions, p.OKActions, p.InsufficientDataActions]).includes(target)) {
      publishers.add('cloudwatch.amazonaws.com');
    }
  }
  return publishers;
}

interface KeyStatement {
  Effect?: string;
  Principal?: { Service?: string | string[] };
  Action?: string | string[];
}

const asList = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/**
 * A KMS-encrypted SNS topic or SQS queue that an AWS service delivers to (EventBridge targets
 * and dead-letter queues, CloudWatch alarm actions) uses a customer managed key of the template
 * whose key policy lets that service principal use kms:GenerateDataKey* and kms:Decrypt. The AWS
 * managed keys (alias/aws/sns, alias/aws/sqs) admit no service and cannot be changed:
 * https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services,
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-key-management.html#compatibility-with-aws-services.
 * SSE-SQS (SqsManagedSseEnabled) involves no key policy.
 */
export function kmsKeysAdmitServicePublishers(template: CfnTemplate, resourceId: string): Verdict {
  const resource = template.Resources[resourceId];
  if (resource?.Type !== 'AWS::SNS::Topic' && resource?.Type !== 'AWS::SQS::Queue') return 'N/A';
  const publishers = servicePublishers(template, resourceId);
  const keyId = resource.Properties?.KmsMasterKeyId;
  if (publishers.size === 0 || keyId === undefined) return 'N/A';
  if (typeof keyId === 'string') return keyId.startsWith('alias/aws/') ? 'NON_COMPLIANT' : 'UNRESOLVABLE';
  const [keyRef] = referencedIds(keyId);
  const key = keyRef ? template.Resources[keyRef] : undefined;
  if (key?.Type !== 'AWS::KMS::Key') return 'UNRESOLVABLE';
  const statements = asList((key.Properties?.KeyPolicy as { Statement?: KeyStatement | KeyStatement[] })?.Statement);
  const admits = (service: string) =>
    statements.some((s) => {
      const actions = asList(s.Action);
      return s.Effect === 'Allow' && asList(s.Principal?.Service).includes(service) && actions.includes('kms:Decrypt') && actions.some((a) => a.startsWith('kms:GenerateDataKey'));
    });
  return [...publishers].every(admits) ? 'COMPLIANT' : 'NON_COMPLIANT';
}
