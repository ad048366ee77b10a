/** Alarms of the server stack on the worker stack's alarm topic: load balancer, server health, database. */
import { CloudWatch } from 'cloudform';
import { getAtt, ref, sub } from '../core/cfn';
import { Res } from '../core/ids';
import type { TemplateFragment } from '../core/template';
import { ALARM_BASE, stackAlarmName } from '../worker/monitoring';

export function buildServerAlarms(): TemplateFragment {
  const base = { ...ALARM_BASE, EvaluationPeriods: 5, DatapointsToAlarm: 3 };
  const db = [{ Name: 'DBInstanceIdentifier', Value: ref(Res.Database) }];
  return {
    Resources: {
      [Res.LoadBalancer5xxAlarm]: new CloudWatch.Alarm({
        ...base,
        AlarmName: stackAlarmName(Res.LoadBalancer5xxAlarm),
        AlarmDescription: sub('The Prefect load balancer of ${AWS::StackName} answers 5xx'),
        Namespace: 'AWS/ApplicationELB',
        MetricName: 'HTTPCode_ELB_5XX_Count',
        Dimensions: [{ Name: 'LoadBalancer', Value: getAtt(Res.LoadBalancer, 'LoadBalancerFullName') }],
        Statistic: 'Sum',
        Threshold: 5,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      }),
      [Res.UnhealthyServerAlarm]: new CloudWatch.Alarm({
        ...base,
        AlarmName: stackAlarmName(Res.UnhealthyServerAlarm),
        AlarmDescription: sub('The Prefect server of ${AWS::StackName} fails its /api/health check'),
        Namespace: 'AWS/ApplicationELB',
        MetricName: 'UnHealthyHostCount',
        Dimensions: [
          { Name: 'LoadBalancer', Value: getAtt(Res.LoadBalancer, 'LoadBalancerFullName') },
          { Name: 'TargetGroup', Value: getAtt(Res.ServerTargetGroup, 'TargetGroupFullName') },
        ],
        Statistic: 'Maximum',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      }),
      [Res.DatabaseCpuAlarm]: new CloudWatch.Alarm({
        ...base,
        AlarmName: stackAlarmName(Res.DatabaseCpuAlarm),
        AlarmDescription: sub('The Prefect database of ${AWS::StackName} runs hot: consider a larger DbInstanceClass'),
        Namespace: 'AWS/RDS',
        MetricName: 'CPUUtilization',
        Dimensions: db,
        Statistic: 'Average',
        Threshold: 80,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      }),
      [Res.DatabaseStorageAlarm]: new CloudWatch.Alarm({
        ...base,
        AlarmName: stackAlarmName(Res.DatabaseStorageAlarm),
        AlarmDescription: sub('The Prefect database of ${AWS::StackName} has under 2 GiB free: raise DbAllocatedStorage'),
        Namespace: 'AWS/RDS',
        MetricName: 'FreeStorageSpace',
        Dimensions: db,
        Statistic: 'Minimum',
        Threshold: 2 * 1024 ** 3,
        ComparisonOperator: 'LessThanOrEqualToThreshold',
      }),
      [Res.DatabaseConnectionsAlarm]: new CloudWatch.Alarm({
        ...base,
        AlarmName: stackAlarmName(Res.DatabaseConnectionsAlarm),
        AlarmDescription: sub('The Prefect database of ${AWS::StackName} nears its connection limit'),
        Namespace: 'AWS/RDS',
        MetricName: 'DatabaseConnections',
        Dimensions: db,
        Statistic: 'Maximum',
        Threshold: 60,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      }),
    },
  };
}
