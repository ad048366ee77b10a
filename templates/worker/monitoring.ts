/**
 * Alarms (scaler errors, Prefect unreachable, dead letters) on the alarm topic (alarmTopic.ts),
 * with an optional e-mail subscription, and a dashboard that shows demand against workers.
 */
import { CloudWatch, SNS } from 'cloudform';
import { SCALER_METRICS_NAMESPACE } from '../../lambdas/scaler/env';
import { getAtt, ref, sub, type Intrinsic } from '../core/cfn';
import type { TemplateFragment } from '../core/template';
import { Cond, Param, Res, type ResId } from '../core/ids';
import { buildAlarmTopic, stackAlarmName } from './alarmTopic';

export { stackAlarmName };

/** What every alarm of the stacks shares: alarms and recoveries go to the alarm topic, missing data is fine. */
const ALARM_ACTIONS = {
  ActionsEnabled: true,
  AlarmActions: [ref(Res.AlarmTopic)],
  OKActions: [ref(Res.AlarmTopic)],
  TreatMissingData: 'notBreaching',
};
export const ALARM_BASE = { ...ALARM_ACTIONS, Period: 60 };

/**
 * What the dead-letter alarms share. An alarm on `ApproximateNumberOfMessagesVisible > 0` would
 * stay in ALARM while old messages sit there (14 days) and, as actions run only on state changes
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-actions.html), never
 * notify again: these alarm on messages arriving instead. The return to OK says nothing new.
 */
const deadLetterAlarm = (id: ResId, description: Intrinsic) => ({
  ...ALARM_ACTIONS,
  OKActions: [],
  AlarmName: stackAlarmName(id),
  AlarmDescription: description,
  ComparisonOperator: 'GreaterThanThreshold',
  Threshold: 0,
});

const queueMetric = (Id: string, queue: ResId, MetricName: string, Stat: string) => ({
  Id,
  MetricStat: { Metric: { Namespace: 'AWS/SQS', MetricName, Dimensions: [{ Name: 'QueueName', Value: getAtt(queue, 'QueueName') }] }, Period: 60, Stat },
  ReturnData: false,
});

/**
 * For a dead-letter queue written only by SendMessage: failed asynchronous Lambda invocations
 * (Lambda sends them with the function's sqs:SendMessage,
 * https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-function-deadletterqueue.html)
 * and events EventBridge could not deliver (it sends with the sqs:SendMessage the queue policy
 * grants, https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html).
 * NumberOfMessagesSent, "the number of messages added to a queue"
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-available-cloudwatch-metrics.html),
 * counts such sends and leaves out only SQS's own redrive ("If you send a message to a dead-letter
 * queue manually, it is captured by the NumberOfMessagesSent metric. However, if a message is sent
 * to a dead-letter queue as a result of a failed processing attempt, it isn't captured", SQS
 * Developer Guide, troubleshooting dead-letter queues; AWS states no more than that for Lambda
 * and EventBridge, whose deliveries are SendMessage calls). A send makes an idle queue active, so
 * the first dead letter after a quiet day is a data point of its own: the alarm fires on it.
 * Reading the queue sends nothing, so it raises no alarm.
 */
export function sentToDeadLetterAlarm(id: ResId, queue: ResId, description: Intrinsic) {
  return new CloudWatch.Alarm({
    ...deadLetterAlarm(id, description),
    Namespace: 'AWS/SQS',
    MetricName: 'NumberOfMessagesSent',
    Dimensions: [{ Name: 'QueueName', Value: getAtt(queue, 'QueueName') }],
    Statistic: 'Sum',
    Period: 60,
    EvaluationPeriods: 1,
  });
}

/**
 * For a dead-letter queue SQS redrives into (NumberOfMessagesSent does not count redrive): the
 * rise of the messages it holds, visible plus in flight.
 * - An idle queue publishes no data ("All metrics emit non-negative values only when the queue
 *   is active", sqs-available-cloudwatch-metrics.html): FILL(…, 0) gives the quiet minutes their
 *   0, so the first dead letter after a quiet day is a rise of 1, not a first point that DIFF has
 *   nothing to compare with (DIFF is the difference from the preceding value,
 *   https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html).
 * - Visible plus not visible does not change when someone receives a message without deleting
 *   it (it only moves between the two), so reading the queue raises no alarm.
 * - FILL makes the newest point 0 while the metric is late (the metric-math guide's caution for
 *   FILL in alarms); 1 of 5 minutes breaching lets the rise count once its point arrives.
 * A delete in the same minute as an arrival can hide that arrival; both are rare on a DLQ.
 */
export function deadLetterArrivalsAlarm(id: ResId, queue: ResId, description: Intrinsic) {
  return new CloudWatch.Alarm({
    ...deadLetterAlarm(id, description),
    Metrics: [
      // SQS publishes one sample a minute: Maximum is that sample.
      queueMetric('visible', queue, 'ApproximateNumberOfMessagesVisible', 'Maximum'),
      queueMetric('inFlight', queue, 'ApproximateNumberOfMessagesNotVisible', 'Maximum'),
      { Id: 'arrivals', Expression: 'DIFF(FILL(visible, 0) + FILL(inFlight, 0))', Label: 'messages that arrived', ReturnData: true },
    ],
    EvaluationPeriods: 5,
    DatapointsToAlarm: 1,
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
      ...buildAlarmTopic().Resources,
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
      [Res.LambdaDeadLetterAlarm]: sentToDeadLetterAlarm(
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
