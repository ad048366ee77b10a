/**
 * Alarms (scaler errors, Prefect unreachable, dead letters) on an SNS topic encrypted with a
 * customer managed KMS key, with an optional e-mail subscription, and a dashboard that shows
 * demand against workers.
 */
import { CloudWatch, KMS, SNS } from 'cloudform';
import { SCALER_METRICS_NAMESPACE } from '../../lambdas/scaler/env';
import { getAtt, keepOnDeleteAndReplace, ref, sub, type Intrinsic } from '../core/cfn';
import type { TemplateFragment } from '../core/template';
import { Cond, Param, Res, type ResId } from '../core/ids';

/** What every alarm of the stacks shares: alarms and recoveries go to the alarm topic, missing data is fine. */
const ALARM_ACTIONS = {
  ActionsEnabled: true,
  AlarmActions: [ref(Res.AlarmTopic)],
  OKActions: [ref(Res.AlarmTopic)],
  TreatMissingData: 'notBreaching',
};
export const ALARM_BASE = { ...ALARM_ACTIONS, Period: 60 };

/**
 * The stack's alarms are named after it, so the key and topic policies can admit exactly them
 * (a generated name may truncate the stack name).
 */
export const stackAlarmName = (id: ResId): Intrinsic => sub(`\${AWS::StackName}-${id}`);
const stackAlarms = () => sub('arn:${AWS::Partition}:cloudwatch:${AWS::Region}:${AWS::AccountId}:alarm:${AWS::StackName}-*');

/** CloudWatch of this account, publishing for an alarm of this stack (confused-deputy guard). */
const fromThisStacksAlarms = () => ({
  StringEquals: { 'aws:SourceAccount': ref('AWS::AccountId') },
  ArnLike: { 'aws:SourceArn': stackAlarms() },
});

/**
 * CloudWatch alarms cannot publish to a topic encrypted with the AWS managed key alias/aws/sns,
 * whose policy cannot be changed: the key must be customer managed and let
 * cloudwatch.amazonaws.com use it (SNS Developer Guide, "Enable compatibility between event
 * sources from AWS services and encrypted topics",
 * https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services).
 * The account keeps administering the key through IAM. Deleted with the stack (after KMS's
 * waiting period): it protects only alarm notifications in flight.
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
            Sid: 'AlarmsOfThisStackPublish',
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            Resource: '*',
            Condition: fromThisStacksAlarms(),
          },
        ],
      },
    }),
    'Delete',
  );
}

function alarmTopicPolicy() {
  return new SNS.TopicPolicy({
    Topics: [ref(Res.AlarmTopic)],
    PolicyDocument: {
      Version: '2012-10-17',
      Statement: [
        { Sid: 'AlarmsOfThisStackPublish', Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish', Resource: ref(Res.AlarmTopic), Condition: fromThisStacksAlarms() },
        { Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: 'sns:Publish', Resource: ref(Res.AlarmTopic), Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
      ],
    },
  });
}

/**
 * Fires when messages arrive in a dead-letter queue. `ApproximateNumberOfMessagesVisible > 0`
 * would stay in ALARM while old messages sit there (14 days) and, as actions run only on state
 * changes (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-actions.html),
 * never notify again. DIFF of that count (metric math) is positive exactly in a minute when
 * messages arrived, for SendMessage and SQS redrive alike (NumberOfMessagesSent misses redrive).
 */
export function deadLetterArrivalsAlarm(id: ResId, queue: ResId, description: Intrinsic) {
  return new CloudWatch.Alarm({
    ...ALARM_ACTIONS,
    // The return to OK a minute later says nothing new.
    OKActions: [],
    AlarmName: stackAlarmName(id),
    AlarmDescription: description,
    Metrics: [
      {
        Id: 'visible',
        MetricStat: {
          Metric: { Namespace: 'AWS/SQS', MetricName: 'ApproximateNumberOfMessagesVisible', Dimensions: [{ Name: 'QueueName', Value: getAtt(queue, 'QueueName') }] },
          Period: 60,
          Stat: 'Maximum',
        },
        ReturnData: false,
      },
      { Id: 'arrivals', Expression: 'DIFF(visible)', Label: 'messages that arrived', ReturnData: true },
    ],
    ComparisonOperator: 'GreaterThanThreshold',
    Threshold: 0,
    EvaluationPeriods: 1,
  });
}

const SCALER_ALARM = { ...ALARM_BASE, ComparisonOperator: 'GreaterThanOrEqualToThreshold', Statistic: 'Sum' };

/** An alarm on a metric-math expression names its period per metric, not at the top. */
const { Period: _period, ...alarmWithoutPeriod } = ALARM_BASE;

const metricOf = (Id: string, Namespace: string, MetricName: string, Dimensions: { Name: string; Value: Intrinsic }[]) => ({
  Id,
  MetricStat: { Metric: { Namespace, MetricName, Dimensions }, Period: ALARM_BASE.Period, Stat: 'Sum' },
  ReturnData: false,
});

export function buildMonitoring(): TemplateFragment {
  const scalerDimensions = [
    { Name: 'StackName', Value: ref('AWS::StackName') },
    { Name: 'WorkPool', Value: ref(Param.WorkPoolName) },
  ];
  return {
    Resources: {
      [Res.AlarmTopicKey]: alarmTopicKey(),
      [Res.AlarmTopic]: new SNS.Topic({ KmsMasterKeyId: ref(Res.AlarmTopicKey) }),
      [Res.AlarmTopicPolicy]: alarmTopicPolicy(),
      [Res.AlarmEmailSubscription]: new SNS.Subscription({
        TopicArn: ref(Res.AlarmTopic),
        Protocol: 'email',
        Endpoint: ref(Param.AlarmEmail),
      }).condition(Cond.HasAlarmEmail),
      [Res.ScalerErrorsAlarm]: new CloudWatch.Alarm({
        ...alarmWithoutPeriod,
        AlarmName: stackAlarmName(Res.ScalerErrorsAlarm),
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        AlarmDescription: sub('The scaler of ${AWS::StackName} failed in 3 of the last 5 minutes: see its log group'),
        // Its trigger queue must not retry a failed evaluation, so the handler counts failures
        // (EvaluationFailures) instead of failing; Lambda Errors still catch crashes and timeouts.
        Metrics: [
          metricOf('failures', SCALER_METRICS_NAMESPACE, 'EvaluationFailures', scalerDimensions),
          metricOf('errors', 'AWS/Lambda', 'Errors', [{ Name: 'FunctionName', Value: ref(Res.ScalerFunction) }]),
          { Id: 'total', Expression: 'FILL(failures, 0) + FILL(errors, 0)', Label: 'scaler failures', ReturnData: true },
        ],
        Threshold: 1,
        EvaluationPeriods: 5,
        DatapointsToAlarm: 3,
      }),
      [Res.PrefectUnreachableAlarm]: new CloudWatch.Alarm({
        ...SCALER_ALARM,
        AlarmName: stackAlarmName(Res.PrefectUnreachableAlarm),
        AlarmDescription: sub('The scaler of ${AWS::StackName} could not read demand from Prefect for 5 minutes: check the API URL, the credential secret and the network'),
        Namespace: SCALER_METRICS_NAMESPACE,
        MetricName: 'DemandUnreadable',
        Dimensions: scalerDimensions,
        Threshold: 1,
        EvaluationPeriods: 5,
        DatapointsToAlarm: 5,
      }),
      [Res.LambdaDeadLetterAlarm]: deadLetterArrivalsAlarm(
        Res.LambdaDeadLetterAlarm,
        Res.LambdaDeadLetterQueue,
        sub('Events or invocations of ${AWS::StackName} landed in the dead-letter queue: read them there (kept 14 days)'),
      ),
      [Res.ObserverDeadLetterAlarm]: deadLetterArrivalsAlarm(
        Res.ObserverDeadLetterAlarm,
        Res.ObserverDeadLetterQueue,
        sub('ECS task events the Prefect worker of ${AWS::StackName} failed to process 5 times landed in the observer dead-letter queue'),
      ),
      [Res.ScalingDashboard]: new CloudWatch.Dashboard({ DashboardBody: sub(JSON.stringify(dashboardBody())) }),
    },
  };
}

/** CloudWatch dashboard JSON; `${...}` are filled by Fn::Sub. */
function dashboardBody() {
  const scaler = (metric: string, label: string) => [SCALER_METRICS_NAMESPACE, metric, 'StackName', '${AWS::StackName}', 'WorkPool', '${WorkPoolName}', { label }];
  return {
    widgets: [
      {
        type: 'metric',
        x: 0,
        y: 0,
        width: 24,
        height: 8,
        properties: {
          title: 'Demand against workers (work pool ${WorkPoolName})',
          region: '${AWS::Region}',
          view: 'timeSeries',
          stat: 'Maximum',
          period: 60,
          metrics: [
            scaler('DueRuns', 'runs due within the look-ahead (a worker can take them)'),
            scaler('BacklogRuns', 'runs to submit now'),
            scaler('UntakeableRuns', 'due runs of paused pools or queues, or beyond their limits'),
            scaler('IgnoredRuns', 'runs nothing will move (left out of the demand)'),
            scaler('PendingRuns', 'pending runs'),
            scaler('RunningRuns', 'running runs'),
            scaler('DesiredWorkers', 'desired workers'),
            scaler('RunningWorkers', 'running workers'),
          ],
        },
      },
      {
        type: 'metric',
        x: 0,
        y: 8,
        width: 12,
        height: 6,
        properties: {
          title: 'Scale actions, unreadable demand, failures and stuck runs',
          region: '${AWS::Region}',
          stat: 'Sum',
          period: 300,
          metrics: [
            scaler('ScaleActions', 'scale actions'),
            scaler('DemandUnreadable', 'evaluations without demand'),
            scaler('EvaluationFailures', 'failed evaluations'),
            scaler('StuckRunsRecovered', 'stuck runs recovered'),
            scaler('StuckRunsLeft', 'stuck runs left alone (see the log)'),
            scaler('StuckSweepSkipped', 'stuck-run sweeps skipped (see the log)'),
          ],
        },
      },
      {
        type: 'metric',
        x: 12,
        y: 8,
        width: 12,
        height: 6,
        properties: {
          title: 'Scaler function',
          region: '${AWS::Region}',
          period: 300,
          metrics: [
            ['AWS/Lambda', 'Errors', 'FunctionName', '${ScalerFunction}', { stat: 'Sum' }],
            ['AWS/Lambda', 'Duration', 'FunctionName', '${ScalerFunction}', { stat: 'p95' }],
            ['AWS/Lambda', 'Throttles', 'FunctionName', '${ScalerFunction}', { stat: 'Sum' }],
          ],
        },
      },
    ],
  };
}
