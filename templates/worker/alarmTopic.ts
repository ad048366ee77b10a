/**
 * The alarm topic: an SNS topic encrypted with a customer managed KMS key, which only CloudWatch
 * may use for SNS topics of this account, and a topic policy that admits exactly the alarms of
 * this stack. The policy is built from the composed template, so an alarm added anywhere (the
 * server stack's, the scaler's) is admitted without a list to keep in step.
 */
import { KMS, SNS } from 'cloudform';
import { keepOnDeleteAndReplace, ref, sub, type Intrinsic } from '../core/cfn';
import { AlarmNameError } from '../core/errors';
import { Res, type ResId } from '../core/ids';
import type { TemplateFragment } from '../core/template';

/**
 * The stack's alarms are named after it, so the topic policy can name each alarm's ARN before
 * the alarm exists (a generated name may truncate the stack name).
 */
export const stackAlarmName = (id: ResId): Intrinsic => sub(`\${AWS::StackName}-${id}`);
const stackAlarmArn = (id: ResId): Intrinsic => sub(`arn:\${AWS::Partition}:cloudwatch:\${AWS::Region}:\${AWS::AccountId}:alarm:\${AWS::StackName}-${id}`);

/**
 * CloudWatch alarms cannot publish to a topic encrypted with the AWS managed key alias/aws/sns,
 * whose policy cannot be changed: the key must be customer managed and let
 * cloudwatch.amazonaws.com use it (SNS Developer Guide, "Enable compatibility between event
 * sources from AWS services and encrypted topics",
 * https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services).
 *
 * The condition is on what SNS itself puts in the encryption context of its KMS requests, the
 * topic's ARN (kms:EncryptionContext:aws:sns:topicArn; AWS documents this key policy form for a
 * service publishing to an encrypted topic in
 * https://docs.aws.amazon.com/gamelift/latest/flexmatchguide/queue-notification-sns-sse.html; the
 * SNS guide's pages on SSE and key management do not list the context). No aws:SourceArn or
 * aws:SourceAccount here: no AWS page says CloudWatch sends them to KMS, and if it did not, every
 * alarm would be silent; the topic policy, where AWS documents them for alarms, checks them.
 *
 * The context admits SNS topics of this account and region, not the topic's exact ARN: the topic
 * names this key, so the key cannot name the topic (a dependency cycle), and giving the topic a
 * fixed name instead would replace it on update, dropping every subscription to it. Only this
 * stack's topic uses the key; the account administers it through IAM. Deleted with the stack
 * (after KMS's waiting period): it protects only alarm notifications in flight.
 */
function alarmTopicKey() {
  return keepOnDeleteAndReplace(
    new KMS.Key({
      Description: sub('Encrypts the alarm topic of ${AWS::StackName}'),
      EnableKeyRotation: true,
      PendingWindowInDays: 7,
      KeyPolicy: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'AccountAdministersThroughIam',
            Effect: 'Allow',
            Principal: { AWS: sub('arn:${AWS::Partition}:iam::${AWS::AccountId}:root') },
            Action: 'kms:*',
            Resource: '*',
          },
          {
            Sid: 'CloudWatchPublishesToTopicsOfThisAccount',
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            Resource: '*',
            Condition: { StringLike: { 'kms:EncryptionContext:aws:sns:topicArn': sub('arn:${AWS::Partition}:sns:${AWS::Region}:${AWS::AccountId}:*') } },
          },
        ],
      },
    }),
    'Delete',
  );
}

/**
 * CloudWatch of this account, publishing for exactly these alarms (confused-deputy guard; the
 * form AWS gives for alarm topics: https://repost.aws/knowledge-center/cloudwatch-receive-sns-for-alarm-trigger).
 * Every alarm of the stack is named `<stack>-<logical ID>`, so each ARN is known before it exists.
 */
function alarmTopicPolicy(alarms: readonly ResId[]) {
  return new SNS.TopicPolicy({
    Topics: [ref(Res.AlarmTopic)],
    PolicyDocument: {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'AlarmsOfThisStackPublish',
          Effect: 'Allow',
          Principal: { Service: 'cloudwatch.amazonaws.com' },
          Action: 'sns:Publish',
          Resource: ref(Res.AlarmTopic),
          Condition: { StringEquals: { 'aws:SourceAccount': ref('AWS::AccountId') }, ArnEquals: { 'aws:SourceArn': alarms.map(stackAlarmArn) } },
        },
        { Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: 'sns:Publish', Resource: ref(Res.AlarmTopic), Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
      ],
    },
  });
}

export function buildAlarmTopic(): TemplateFragment {
  return {
    Resources: {
      [Res.AlarmTopicKey]: alarmTopicKey(),
      [Res.AlarmTopic]: new SNS.Topic({ KmsMasterKeyId: ref(Res.AlarmTopicKey) }),
    },
  };
}

const ALARM = 'AWS::CloudWatch::Alarm';
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The fragments plus the alarm topic's policy, which admits every alarm they define. An alarm
 * not named `stackAlarmName(id)` could not be admitted by ARN: that is a programming error.
 */
export function withAlarmTopicPolicy(fragments: readonly TemplateFragment[]): TemplateFragment[] {
  const alarms = fragments.flatMap((fragment) =>
    Object.entries(fragment.Resources ?? {}).filter(([, resource]) => (resource as { Type?: string }).Type === ALARM),
  );
  for (const [id, alarm] of alarms) {
    const name = (alarm as { Properties?: { AlarmName?: unknown } }).Properties?.AlarmName;
    if (!same(name, stackAlarmName(id as ResId))) throw new AlarmNameError(id, name);
  }
  return [...fragments, { Resources: { [Res.AlarmTopicPolicy]: alarmTopicPolicy(alarms.map(([id]) => id as ResId)) } }];
}
