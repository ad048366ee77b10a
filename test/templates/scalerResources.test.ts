import { buildWorkerStack } from '../../templates/stacks/worker';
import type { Json } from '../support/template';

const template = buildWorkerStack() as unknown as Json;
const resources = template.Resources as Json;
const statements = (role: string) => resources[role].Properties.Policies[0].PolicyDocument.Statement as Json[];
const statement = (role: string, sid: string) => statements(role).find((s) => s.Sid === sid);

describe('scaler triggers in the worker template', () => {
  it('feeds every trigger through one encrypted FIFO queue, with a FIFO dead-letter queue', () => {
    const queue = resources.ScalerTriggers.Properties;
    expect(queue).toMatchObject({ FifoQueue: true, ContentBasedDeduplication: true, SqsManagedSseEnabled: true });
    expect(queue.RedrivePolicy).toEqual({ deadLetterTargetArn: { 'Fn::GetAtt': ['ScalerTriggersDlq', 'Arn'] }, maxReceiveCount: 3 });
    expect(resources.ScalerTriggersDlq.Properties).toMatchObject({ FifoQueue: true, SqsManagedSseEnabled: true });
    // At least the function timeout (Lambda checks it); retention outlasts the receives before the DLQ.
    expect(queue.VisibilityTimeout).toBe(2 * resources.ScalerFunction.Properties.Timeout);
    expect(queue.MessageRetentionPeriod).toBeGreaterThan(queue.VisibilityTimeout * queue.RedrivePolicy.maxReceiveCount);
  });

  it('sends the schedule and the flow-run task events to the queue in one message group, undeliverable ones to the standard DLQ', () => {
    for (const rule of ['ScalerScheduleRule', 'ScalerTaskStateRule']) {
      expect(resources[rule].Properties.Targets).toEqual([
        {
          Id: 'scaler-triggers',
          Arn: { 'Fn::GetAtt': ['ScalerTriggers', 'Arn'] },
          SqsParameters: { MessageGroupId: 'scaler' },
          RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 300 },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': ['LambdaDeadLetterQueue', 'Arn'] } },
        },
      ]);
    }
    expect(resources.ScalerScheduleRule.Properties.ScheduleExpression).toBe('rate(1 minute)');
    expect(resources.ScalerTaskStateRule.Properties.EventPattern.detail.group).toEqual([{ prefix: 'family:' }]);
    const invokers = Object.values(resources).filter((r: Json) => r.Type === 'AWS::Lambda::Permission' && r.Properties.Principal === 'events.amazonaws.com');
    expect(invokers.map((r: Json) => r.Properties.FunctionName)).not.toContainEqual({ Ref: 'ScalerFunction' });
  });

  it('lets only the two rules send to the queue, over TLS', () => {
    const [allow, deny] = resources.ScalerTriggerQueuePolicy.Properties.PolicyDocument.Statement;
    expect(allow).toMatchObject({ Principal: { Service: 'events.amazonaws.com' }, Action: 'sqs:SendMessage' });
    expect(allow.Condition.ArnEquals['aws:SourceArn']).toEqual([{ 'Fn::GetAtt': ['ScalerScheduleRule', 'Arn'] }, { 'Fn::GetAtt': ['ScalerTaskStateRule', 'Arn'] }]);
    expect(deny).toMatchObject({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
  });

  it('drains the queue into the scaler 10 at a time, serialised by the message group rather than reserved concurrency', () => {
    expect(resources.ScalerTriggerMapping.Properties).toEqual({
      EventSourceArn: { 'Fn::GetAtt': ['ScalerTriggers', 'Arn'] },
      FunctionName: { Ref: 'ScalerFunction' },
      BatchSize: 10,
      Enabled: true,
    });
    expect(resources.ScalerFunction.Properties).not.toHaveProperty('ReservedConcurrentExecutions');
    expect(statement('ScalerRole', 'ConsumeTriggers')).toMatchObject({
      Action: ['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ReceiveMessage'],
      Resource: { 'Fn::GetAtt': ['ScalerTriggers', 'Arn'] },
    });
  });

  it('lets the scaler list and describe only this cluster\'s tasks (stuck-run recovery)', () => {
    for (const sid of ['ListClusterTasks', 'ReadFlowRunTaskTags']) {
      expect(statement('ScalerRole', sid)!.Condition).toEqual({ ArnEquals: { 'ecs:cluster': expect.anything() } });
    }
    expect(statement('ScalerRole', 'ListClusterTasks')).toMatchObject({ Action: ['ecs:ListTasks'], Resource: { 'Fn::Sub': [expect.stringContaining(':container-instance/${ClusterName}/*'), expect.anything()] } });
    expect(statement('ScalerRole', 'ReadFlowRunTaskTags')).toMatchObject({ Action: ['ecs:DescribeTasks'], Resource: { 'Fn::Sub': [expect.stringContaining(':task/${ClusterName}/*'), expect.anything()] } });
    expect(statements('ScalerRole').flatMap((s) => s.Action ?? [])).not.toContain('ecs:StopTask');
  });

  it('gives the webhook its own function, concurrency and role: it may only read its token and queue an evaluation', () => {
    const fn = resources.ScalerWebhookFunction;
    expect(fn.Condition).toBe('EnableScalerWebhook');
    expect(fn.Properties).toMatchObject({ CodeUri: 'lambdas/scaler-webhook', ReservedConcurrentExecutions: 2 });
    expect(resources.ScalerFunctionUrl.Properties).toEqual({ TargetFunctionArn: { Ref: 'ScalerWebhookFunction' }, AuthType: 'NONE' });
    expect(statement('ScalerWebhookRole', 'QueueEvaluation')).toMatchObject({ Action: ['sqs:SendMessage'], Resource: { 'Fn::GetAtt': ['ScalerTriggers', 'Arn'] } });
    expect(statement('ScalerWebhookRole', 'ReadWebhookToken')).toMatchObject({ Resource: { Ref: 'ScalerWebhookTokenSecret' } });
    expect(JSON.stringify(resources.ScalerRole)).not.toContain('ScalerWebhookTokenSecret');
  });

  it('alarms on failed evaluations and Lambda errors together, and on trigger dead letters', () => {
    const alarm = resources.ScalerErrorsAlarm.Properties;
    expect(alarm.Metrics.map((m: Json) => m.Id)).toEqual(['failures', 'errors', 'total']);
    expect(alarm.Metrics[0].MetricStat.Metric.MetricName).toBe('EvaluationFailures');
    expect(alarm).not.toHaveProperty('Period');
    // On arrivals (issue 9, defect 9): DIFF of the dead-letter queue's visible messages.
    const deadLetters = resources.ScalerTriggerDeadLetterAlarm.Properties;
    expect(deadLetters.Metrics[0].MetricStat.Metric.Dimensions).toEqual([{ Name: 'QueueName', Value: { 'Fn::GetAtt': ['ScalerTriggersDlq', 'QueueName'] } }]);
    expect(deadLetters.Metrics[1].Expression).toBe('DIFF(visible)');
  });

  it('offers the stuck-run settings with the documented defaults', () => {
    expect(template.Parameters.StuckPendingSeconds).toMatchObject({ Type: 'Number', Default: 600, MinValue: 120 });
    expect(template.Parameters.StuckPendingAction).toMatchObject({ AllowedValues: ['reschedule', 'crash', 'off'], Default: 'reschedule' });
    expect(template.Parameters.SubmissionsPerWorker).toMatchObject({ Default: 10, MinValue: 1, MaxValue: 100 });
    expect(template.Parameters).not.toHaveProperty('RunsPerWorker');
  });
});
