/**
 * Alarms (scaler errors, Prefect unreachable, dead letters) on an encrypted SNS topic with an
 * optional e-mail subscription, and a dashboard that shows demand against workers.
 */
import { CloudWatch, SNS } from 'cloudform';
import { SCALER_METRICS_NAMESPACE } from '../../lambdas/scaler/env';
import { getAtt, ref, sub, type Intrinsic } from '../core/cfn';
import type { TemplateFragment } from '../core/template';
import { Cond, Param, Res } from '../core/ids';

/** What every alarm of the stacks shares: both states go to the alarm topic, missing data is fine. */
export const ALARM_BASE = {
  ActionsEnabled: true,
  AlarmActions: [ref(Res.AlarmTopic)],
  OKActions: [ref(Res.AlarmTopic)],
  TreatMissingData: 'notBreaching',
  Period: 60,
};

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
      [Res.AlarmTopic]: new SNS.Topic({ KmsMasterKeyId: 'alias/aws/sns' }),
      [Res.AlarmEmailSubscription]: new SNS.Subscription({
        TopicArn: ref(Res.AlarmTopic),
        Protocol: 'email',
        Endpoint: ref(Param.AlarmEmail),
      }).condition(Cond.HasAlarmEmail),
      [Res.ScalerErrorsAlarm]: new CloudWatch.Alarm({
        ...alarmWithoutPeriod,
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
        AlarmDescription: sub('The scaler of ${AWS::StackName} could not read demand from Prefect for 5 minutes: check the API URL, the credential secret and the network'),
        Namespace: SCALER_METRICS_NAMESPACE,
        MetricName: 'DemandUnreadable',
        Dimensions: scalerDimensions,
        Threshold: 1,
        EvaluationPeriods: 5,
        DatapointsToAlarm: 5,
      }),
      [Res.LambdaDeadLetterAlarm]: new CloudWatch.Alarm({
        ...SCALER_ALARM,
        Statistic: 'Maximum',
        AlarmDescription: sub('Events or invocations of ${AWS::StackName} landed in the dead-letter queue'),
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: getAtt(Res.LambdaDeadLetterQueue, 'QueueName') }],
        Threshold: 1,
        EvaluationPeriods: 1,
      }),
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
          title: 'Scale actions, unreadable demand, failures and stuck runs recovered',
          region: '${AWS::Region}',
          stat: 'Sum',
          period: 300,
          metrics: [
            scaler('ScaleActions', 'scale actions'),
            scaler('DemandUnreadable', 'evaluations without demand'),
            scaler('EvaluationFailures', 'failed evaluations'),
            scaler('StuckRunsRecovered', 'stuck PENDING runs recovered'),
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
