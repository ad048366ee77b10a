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

  it('defect 3: the alarm topic uses a customer managed key that CloudWatch may use only for SNS topics of this account', () => {
    expect(r.AlarmTopic.Properties.KmsMasterKeyId).toEqual({ Ref: 'AlarmTopicKey' });
    expect(r.AlarmTopicKey.Properties.EnableKeyRotation).toBe(true);
    const cloudwatch = r.AlarmTopicKey.Properties.KeyPolicy.Statement.find((s: Json) => s.Principal?.Service === 'cloudwatch.amazonaws.com');
    // The key SNS puts in the encryption context; no aws:SourceArn/SourceAccount, which no AWS page says CloudWatch sends to KMS.
    expect(cloudwatch).toEqual(
      expect.objectContaining({
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        Condition: { StringLike: { 'kms:EncryptionContext:aws:sns:topicArn': { 'Fn::Sub': 'arn:${AWS::Partition}:sns:${AWS::Region}:${AWS::AccountId}:*' } } },
      }),
    );
  });

  it('review 9 finding 5: the topic policy admits exactly the ARN of each alarm of the stack, and every alarm notifies that topic', () => {
    const alarms = resourcesOfType(template, 'AWS::CloudWatch::Alarm');
    expect(alarms.length).toBeGreaterThanOrEqual(5);
    const publish = r.AlarmTopicPolicy.Properties.PolicyDocument.Statement.find((s: Json) => s.Action === 'sns:Publish' && s.Effect === 'Allow');
    expect(publish.Condition).toEqual({
      StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
      ArnEquals: { 'aws:SourceArn': alarms.map(([id]) => ({ 'Fn::Sub': `arn:\${AWS::Partition}:cloudwatch:\${AWS::Region}:\${AWS::AccountId}:alarm:\${AWS::StackName}-${id}` })) },
    });
    for (const [id, alarm] of alarms) {
      expect([id, alarm.Properties.AlarmName]).toEqual([id, { 'Fn::Sub': `\${AWS::StackName}-${id}` }]);
      expect([id, alarm.Properties.AlarmActions]).toEqual([id, [{ Ref: 'AlarmTopic' }]]);
    }
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

  it('review 9 finding 1: the dead-letter queue fed by SendMessage (Lambda, EventBridge) alarms on any message sent in a minute', () => {
    expect(r.LambdaDeadLetterAlarm.Properties).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'NumberOfMessagesSent',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': ['LambdaDeadLetterQueue', 'QueueName'] } }],
      Statistic: 'Sum',
      Period: 60,
      EvaluationPeriods: 1,
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: 'AlarmTopic' }],
    });
    // SQS redrive never writes to it (denyAll), so NumberOfMessagesSent sees every arrival.
    expect(r.LambdaDeadLetterQueue.Properties.RedriveAllowPolicy).toEqual({ redrivePermission: 'denyAll' });
  });

  it('review 9 finding 1: a redrive-fed dead-letter queue alarms on a rise of visible plus in-flight messages, with quiet minutes filled with 0', () => {
    const p = r.EcsObserverDeadLetterAlarm.Properties;
    const queue = { Name: 'QueueName', Value: { 'Fn::GetAtt': ['EcsObserverDeadLetterQueue', 'QueueName'] } };
    expect(p.Metrics).toEqual([
      expect.objectContaining({ Id: 'visible', ReturnData: false, MetricStat: expect.objectContaining({ Metric: { Namespace: 'AWS/SQS', MetricName: 'ApproximateNumberOfMessagesVisible', Dimensions: [queue] } }) }),
      expect.objectContaining({ Id: 'inFlight', ReturnData: false, MetricStat: expect.objectContaining({ Metric: { Namespace: 'AWS/SQS', MetricName: 'ApproximateNumberOfMessagesNotVisible', Dimensions: [queue] } }) }),
      expect.objectContaining({ Expression: 'DIFF(FILL(visible, 0) + FILL(inFlight, 0))', ReturnData: true }),
    ]);
    expect(p).toMatchObject({ ComparisonOperator: 'GreaterThanThreshold', Threshold: 0, EvaluationPeriods: 5, DatapointsToAlarm: 1, AlarmActions: [{ Ref: 'AlarmTopic' }] });
    expect(p).not.toHaveProperty('MetricName');
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

/**
 * GroupDescription is replacement-only (AWS::EC2::SecurityGroup, "Update requires: Replacement"),
 * and a replaced group cannot be deleted while running flow-run tasks or Lambda ENIs use it: the
 * descriptions stay as stacks before issue 9 have them (review 9, finding 2).
 */
const RELEASED_GROUP_DESCRIPTIONS: Record<string, string> = {
  WorkerSecurityGroup: 'Prefect worker of ${AWS::StackName}: no inbound, outbound to the Prefect API, AWS APIs and image registries',
  FlowRunSecurityGroup: 'Prefect flow runs of ${AWS::StackName}: no inbound, outbound to the Prefect API, AWS APIs and image registries',
  LoadBalancerSecurityGroup: 'Prefect load balancer of ${AWS::StackName}: HTTP(S) from the allowed CIDR and the stack',
  ServerSecurityGroup: 'Prefect server of ${AWS::StackName}',
  DatabaseSecurityGroup: 'Prefect database of ${AWS::StackName}',
  LambdaSecurityGroup: 'stack Lambdas of ${AWS::StackName}',
  VpcEndpointSecurityGroup: 'VPC endpoints of ${AWS::StackName}: HTTPS from inside the VPC',
};

it('review 9 finding 2: every security group existing stacks have keeps its description, so an update does not replace it', () => {
  // Groups added since (the HA cache's) have no released description to keep.
  const groups = new Map([...resourcesOfType(worker, 'AWS::EC2::SecurityGroup'), ...resourcesOfType(server, 'AWS::EC2::SecurityGroup')]);
  for (const [id, description] of Object.entries(RELEASED_GROUP_DESCRIPTIONS)) expect([id, groups.get(id)?.Properties.GroupDescription]).toEqual([id, { 'Fn::Sub': description }]);
});
