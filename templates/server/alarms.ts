/** Alarms of the server stack on the worker stack's alarm topic: load balancer, server health, database, background services. */
import { CloudWatch } from 'cloudform';
import { getAtt, ref, sub } from '../core/cfn';
import { Cond, Res } from '../core/ids';
import type { TemplateFragment } from '../core/template';
import { clusterNameValue } from '../worker/ecs';
import { ALARM_BASE, stackAlarmName } from '../worker/monitoring';
import { byDatabaseMemory, connectionsAlarmThreshold } from './database';

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
        // 80% of max_connections of the DbInstanceClass (database.ts): the same arithmetic that
        // caps ServerMaxReplicas (Rule ServerMaxReplicasFitDatabase).
        Threshold: byDatabaseMemory(connectionsAlarmThreshold) as never,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      }),
      // HA: nothing else notices when the background-services task does not run (a failed
      // migration, a crash loop): the scheduler, late runs and automations stop while the API
      // serves. ECS publishes CPUUtilization per service without Container Insights ("The
      // following metrics are available ... ClusterName, ServiceName",
      // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/available-metrics.html); a
      // service with no running task sends no datapoint, which this alarm treats as breaching.
      [Res.BackgroundServicesAlarm]: new CloudWatch.Alarm({
        ...base,
        AlarmName: stackAlarmName(Res.BackgroundServicesAlarm),
        AlarmDescription: sub('The Prefect background services of ${AWS::StackName} run no task: see the migrate and services logs'),
        Namespace: 'AWS/ECS',
        MetricName: 'CPUUtilization',
        Dimensions: [
          { Name: 'ClusterName', Value: clusterNameValue() },
          { Name: 'ServiceName', Value: getAtt(Res.BackgroundServicesService, 'Name') },
        ],
        Statistic: 'SampleCount',
        Threshold: 1,
        ComparisonOperator: 'LessThanThreshold',
        TreatMissingData: 'breaching',
      }).condition(Cond.HighAvailability),
    },
  };
}
