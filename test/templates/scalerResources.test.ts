import { TRIGGER_DLQ_PREFIX, TRIGGER_QUEUE_PREFIX } from '../../templates/functions/scalerTriggers';
import { buildServerStack } from '../../templates/stacks/server';
import { buildWorkerStack } from '../../templates/stacks/worker';
import { UNSCOPED_ACTIONS } from '../../templates/worker/iamUnscopedActions';
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

  it('lets the scaler list its cluster\'s tasks as AWS authorizes ListTasks: on "*" with the ecs:cluster condition', () => {
    const clusterCondition = { ArnEquals: { 'ecs:cluster': { 'Fn::If': ['CreateCluster', { 'Fn::GetAtt': ['Cluster', 'Arn'] }, expect.anything()] } } };
    // A listing by cluster names no container instance, so AWS authorizes it on "*" (cdklabs/construct-hub#1207).
    expect(statement('ScalerRole', 'ListClusterTasks')).toEqual({ Sid: 'ListClusterTasks', Effect: 'Allow', Action: ['ecs:ListTasks'], Resource: '*', Condition: clusterCondition });
    expect(UNSCOPED_ACTIONS['ecs:ListTasks']).toMatch(/authorized on "\*".*ecs:cluster condition/);
    expect(statement('ScalerRole', 'ReadClusterTasks')).toMatchObject({
      Action: ['ecs:DescribeTasks'],
      Resource: { 'Fn::Sub': [expect.stringContaining(':task/${ClusterName}/*'), expect.anything()] },
      Condition: clusterCondition,
    });
    expect(statements('ScalerRole').flatMap((s) => s.Action ?? [])).not.toContain('ecs:StopTask');
  });

  it('names both FIFO queues from the stack ID within SQS\'s 80 characters, whatever the stack\'s name', () => {
    for (const [queue, prefix] of [['ScalerTriggers', TRIGGER_QUEUE_PREFIX], ['ScalerTriggersDlq', TRIGGER_DLQ_PREFIX]] as const) {
      const [, parts] = resources[queue].Properties.QueueName['Fn::Join'];
      expect(parts).toEqual([prefix, '-', { 'Fn::Select': [2, { 'Fn::Split': ['/', { Ref: 'AWS::StackId' }] }] }, '.fifo']);
      // The stack ID's last part is a UUID: 36 characters.
      expect(`${prefix}-${'x'.repeat(36)}.fifo`.length).toBeLessThanOrEqual(80);
    }
  });

  it('gives the webhook its own function, concurrency and role: it may only read its token and queue an evaluation', () => {
    const fn = resources.ScalerWebhookFunction;
    expect(fn.Condition).toBe('EnableScalerWebhook');
    expect(fn.Properties).toMatchObject({ CodeUri: 'lambdas/scaler-webhook', ReservedConcurrentExecutions: 2 });
    expect(resources.ScalerFunctionUrl.Properties).toEqual({ TargetFunctionArn: { Ref: 'ScalerWebhookFunction' }, AuthType: 'NONE' });
    expect(statement('ScalerWebhookRole', 'QueueEvaluation')).toMatchObject({ Action: ['sqs:SendMessage'], Resource: { 'Fn::GetAtt': ['ScalerTriggers', 'Arn'] } });
    expect(statement('ScalerWebhookRole', 'ReadWebhookToken')).toMatchObject({ Resource: { Ref: 'ScalerWebhookTokenSecret' } });
    expect(JSON.stringify(resources.ScalerRole)).not.toContain('ScalerWebhookTokenSecret');
    // Outside the server stack's VPC too: it talks only to SQS and Secrets Manager.
    const server = buildServerStack() as unknown as Json;
    expect(server.Resources.ScalerWebhookFunction.Properties).not.toHaveProperty('VpcConfig');
    expect(server.Resources.ScalerFunction.Properties).toHaveProperty('VpcConfig');
  });

  it('alarms on failed evaluations and Lambda errors together, and on trigger dead letters', () => {
    const alarm = resources.ScalerErrorsAlarm.Properties;
    expect(alarm.Metrics.map((m: Json) => m.Id)).toEqual(['failures', 'errors', 'total']);
    expect(alarm.Metrics[0].MetricStat.Metric.MetricName).toBe('EvaluationFailures');
    expect(alarm).not.toHaveProperty('Period');
    // On arrivals (issue 9, defect 9): DIFF of the dead-letter queue's visible messages.
    const deadLetters = resources.ScalerTriggerDeadLetterAlarm.Properties;
    expect(deadLetters.Metrics[0].MetricStat.Metric.Dimensions).toEqual([{ Name: 'QueueName', Value: { 'Fn::GetAtt': ['ScalerTriggersDlq', 'QueueName'] } }]);
    expect(deadLetters.Metrics.find((m: { ReturnData?: boolean }) => m.ReturnData).Expression).toBe('DIFF(FILL(visible, 0) + FILL(inFlight, 0))');
  });

  it('offers the stuck-run settings with the documented defaults', () => {
    expect(template.Parameters.StuckPendingSeconds).toMatchObject({ Type: 'Number', Default: 600, MinValue: 120 });
    expect(template.Parameters.StuckPendingAction).toMatchObject({ AllowedValues: ['reschedule', 'crash', 'off'], Default: 'reschedule' });
    expect(template.Parameters.SubmissionsPerWorker).toMatchObject({ Default: 10, MinValue: 1, MaxValue: 100 });
    expect(template.Parameters).not.toHaveProperty('RunsPerWorker');
  });
});
