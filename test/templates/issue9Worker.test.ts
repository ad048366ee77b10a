/**
 * Deploy-blocking defects of issue 9 in resources both stacks share (worker builders): each test
 * names its defect and fails on the templates before the fix.
 */
import { UNSCOPED_ACTIONS } from '../../templates/worker/iamUnscopedActions';
import { buildServerStack } from '../../templates/stacks/server';
import { buildWorkerStack } from '../../templates/stacks/worker';
import { iamStatements } from '../policy/statements';
import { actionsOf } from '../policy/types';
import { asCfn, resourcesOfType, type Json } from '../support/template';

const worker = buildWorkerStack() as unknown as Json;
const server = buildServerStack() as unknown as Json;
const statementsGranting = (template: Json, action: string) => iamStatements(asCfn(template)).filter((s) => actionsOf(s.statement).includes(action));
const family = { 'Fn::Sub': 'arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:task-definition/prefect_${WorkPoolName}_*' };

describe.each([
  ['worker', worker],
  ['server', server],
])('issue 9 defects in the %s stack', (_name, template) => {
  const r = template.Resources as Json;

  it('defect 3: the alarm topic uses a customer managed key that only CloudWatch alarms of this stack may use', () => {
    expect(r.AlarmTopic.Properties.KmsMasterKeyId).toEqual({ Ref: 'AlarmTopicKey' });
    expect(r.AlarmTopicKey.Properties.EnableKeyRotation).toBe(true);
    const cloudwatch = r.AlarmTopicKey.Properties.KeyPolicy.Statement.find((s: Json) => s.Principal?.Service === 'cloudwatch.amazonaws.com');
    expect(cloudwatch).toMatchObject({
      Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      Condition: {
        StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
        ArnLike: { 'aws:SourceArn': { 'Fn::Sub': 'arn:${AWS::Partition}:cloudwatch:${AWS::Region}:${AWS::AccountId}:alarm:${AWS::StackName}-*' } },
      },
    });
    // The condition admits exactly the stack's alarms: each is named after the stack.
    for (const [id, alarm] of resourcesOfType(template, 'AWS::CloudWatch::Alarm')) expect(alarm.Properties.AlarmName).toEqual({ 'Fn::Sub': `\${AWS::StackName}-${id}` });
  });

  it('defect 8: RegisterTaskDefinition, RunTask and tag-on-create are limited to the work pool\'s task-definition families', () => {
    for (const action of ['ecs:RegisterTaskDefinition', 'ecs:RunTask']) {
      const grants = statementsGranting(template, action);
      expect(grants.map((s) => s.statement.Resource)).toEqual([family]);
    }
    expect(statementsGranting(template, 'ecs:TagResource')[0]!.statement.Resource).toContainEqual(family);
    expect(UNSCOPED_ACTIONS).not.toHaveProperty(['ecs:RegisterTaskDefinition']);
    for (const action of ['ec2:CreateNetworkInterface', 'ec2:DeleteNetworkInterface']) expect(UNSCOPED_ACTIONS[action]).toMatch(/resource type.*Lambda checks|has the network-interface resource type/);
  });

  it('defect 9: dead-letter queues accept only TLS, name who may redrive into them, and the observer rule has one', () => {
    for (const [queue, policy] of [['EcsObserverDeadLetterQueue', 'EcsObserverDeadLetterQueuePolicy'], ['LambdaDeadLetterQueue', 'LambdaDeadLetterQueuePolicy']]) {
      expect(r[policy!].Properties.Queues).toEqual([{ Ref: queue }]);
      expect(r[policy!].Properties.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Action: 'sqs:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
    }
    for (const [, queue] of resourcesOfType(template, 'AWS::SQS::Queue')) expect(queue.Properties.RedriveAllowPolicy?.redrivePermission).not.toBe('allowAll');
    expect(r.LambdaDeadLetterQueue.Properties.RedriveAllowPolicy).toEqual({ redrivePermission: 'denyAll' });
    const observerName = r.EcsObserverQueue.Properties.QueueName;
    expect(r.EcsObserverDeadLetterQueue.Properties.RedriveAllowPolicy).toEqual({
      redrivePermission: 'byQueue',
      sourceQueueArns: [{ 'Fn::Sub': ['arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:${Name}', { Name: observerName }] }],
    });
    expect(r.EcsTaskStateChangeRule.Properties.Targets[0].DeadLetterConfig).toEqual({ Arn: { 'Fn::GetAtt': ['LambdaDeadLetterQueue', 'Arn'] } });
    expect(r.LambdaDeadLetterQueuePolicy.Properties.PolicyDocument.Statement[0].Condition.ArnEquals['aws:SourceArn']).toContainEqual({ 'Fn::GetAtt': ['EcsTaskStateChangeRule', 'Arn'] });
  });

  it('defect 9: each dead-letter queue has an alarm on messages arriving, not on a backlog that stays in ALARM', () => {
    for (const [alarm, queue] of [['LambdaDeadLetterAlarm', 'LambdaDeadLetterQueue'], ['EcsObserverDeadLetterAlarm', 'EcsObserverDeadLetterQueue']]) {
      const p = r[alarm!].Properties;
      expect(p.Metrics).toEqual([
        expect.objectContaining({ Id: 'visible', ReturnData: false, MetricStat: expect.objectContaining({ Metric: expect.objectContaining({ Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queue, 'QueueName'] } }] }) }) }),
        expect.objectContaining({ Expression: 'DIFF(visible)', ReturnData: true }),
      ]);
      expect(p).toMatchObject({ ComparisonOperator: 'GreaterThanThreshold', Threshold: 0, AlarmActions: [{ Ref: 'AlarmTopic' }] });
      expect(p).not.toHaveProperty('MetricName');
    }
  });

  it('defect 9: every stateful resource states its DeletionPolicy and UpdateReplacePolicy', () => {
    const stateful = ['AWS::SecretsManager::Secret', 'AWS::Logs::LogGroup', 'AWS::ECR::Repository', 'AWS::SQS::Queue', 'AWS::KMS::Key', 'AWS::RDS::DBInstance'];
    const found = Object.entries(r as Record<string, Json>).filter(([, res]) => stateful.includes(res.Type));
    expect(found.length).toBeGreaterThanOrEqual(10);
    for (const [id, res] of found) {
      expect([id, res.DeletionPolicy]).toEqual([id, expect.stringMatching(/^(Delete|Retain|Snapshot)$/)]);
      expect(res.UpdateReplacePolicy).toBe(res.DeletionPolicy);
    }
  });
});
