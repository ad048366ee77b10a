import { applyStackSettings, ownsMatch, type BaseJobTemplate } from '../../../lambdas/work-pool/baseJobTemplate';
import { InvalidPropertiesError } from '../../../lambdas/work-pool/errors';
import { readPoolSettings, type PoolSettings } from '../../../lambdas/work-pool/settings';
import ecsDefault from '../../fixtures/prefect/ecs-default-base-job-template.json';
import { flowRunTask } from '../../support/prefectJobTemplate';
import { STACK_PROPERTIES } from '../../fixtures/workPoolProperties';

const settings: PoolSettings = readPoolSettings(STACK_PROPERTIES);
const base = () => structuredClone(ecsDefault) as unknown as BaseJobTemplate;

describe('work pool base job template', () => {
  it('gives flow runs exactly the stack subnets, security groups, roles, log group and credential', () => {
    const task = flowRunTask(applyStackSettings(base(), settings));
    expect(task).toEqual({
      cluster: 'prefect-cluster',
      launchType: 'FARGATE',
      executionRoleArn: 'arn:aws:iam::123456789012:role/flow-run-execution',
      taskRoleArn: 'arn:aws:iam::123456789012:role/flow-run-task',
      awsvpcConfiguration: { subnets: ['subnet-private-a', 'subnet-private-b'], securityGroups: ['sg-flow-runs'], assignPublicIp: 'DISABLED' },
      logOptions: {
        'awslogs-create-group': 'true',
        'awslogs-group': 'prefect-workers-FlowRunLogGroup-AbC',
        'awslogs-region': 'us-east-1',
        'awslogs-stream-prefix': 'flow-run',
      },
      secrets: [{ name: 'PREFECT_API_KEY', valueFrom: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:prefect-AbCdEf' }],
    });
  });

  it('is needed: the default template alone leaves network, roles and logs to chance', () => {
    const task = flowRunTask(base());
    expect(task.awsvpcConfiguration).toBeUndefined();
    expect(task.taskRoleArn).toBeUndefined();
    expect(task.logOptions).toBeUndefined();
  });

  it('keeps every edit a person made to a variable the stack does not own', () => {
    const edited = base();
    edited.variables.properties.cpu!.default = 2048;
    edited.variables.properties.image!.default = 'my/flows:1';
    edited.variables.properties.env!.default = { TEAM: 'data' };
    edited.variables.properties.cluster!.default = 'someone-elses';
    const next = applyStackSettings(edited, settings);
    expect(next.variables.properties.cpu!.default).toBe(2048);
    expect(next.variables.properties.image!.default).toBe('my/flows:1');
    expect(next.variables.properties.env!.default).toEqual({ TEAM: 'data' });
    expect(next.variables.properties.cluster!.default).toBe('prefect-cluster');
    expect(edited.variables.properties.cluster!.default).toBe('someone-elses'); // input untouched
  });

  it('lets a deployment still override a stack default through its job variables', () => {
    expect(flowRunTask(applyStackSettings(base(), settings), { task_role_arn: 'arn:aws:iam::123456789012:role/special' }).taskRoleArn).toBe(
      'arn:aws:iam::123456789012:role/special',
    );
  });

  it('switches the credential field with the auth mode and clears the other one', () => {
    const withKey = applyStackSettings(base(), settings);
    const authString = readPoolSettings({ ...STACK_PROPERTIES, AuthMode: 'auth-string' });
    const switched = applyStackSettings(withKey, authString);
    expect(flowRunTask(switched).secrets).toEqual([{ name: 'PREFECT_API_AUTH_STRING', valueFrom: STACK_PROPERTIES.CredentialSecretArn }]);
    const none = applyStackSettings(switched, readPoolSettings({ ...STACK_PROPERTIES, AuthMode: 'none', CredentialSecretArn: '' }));
    expect(flowRunTask(none).secrets).toEqual([]);
  });

  it('uses FARGATE_SPOT when the stack runs on Spot, and knows when nothing changed', () => {
    const spot = applyStackSettings(base(), readPoolSettings({ ...STACK_PROPERTIES, LaunchType: 'FARGATE_SPOT' }));
    expect(flowRunTask(spot).launchType).toBe('FARGATE_SPOT');
    expect(ownsMatch(spot, settings)).toBe(false);
    expect(ownsMatch(applyStackSettings(base(), settings), settings)).toBe(true);
  });

  it('rejects a template that is not an ECS template, naming what is missing', () => {
    expect(() => applyStackSettings({ job_configuration: {}, variables: { properties: {} } }, settings)).toThrow(/has no "cluster" variable/);
    expect(() => applyStackSettings({} as BaseJobTemplate, settings)).toThrow(/has no job_configuration/);
  });

  it.each<[string, Record<string, unknown>, RegExp]>([
    ['a missing pool name', { WorkPoolName: '' }, /WorkPoolName must be a non-empty string/],
    ['no subnets', { Subnets: [] }, /Subnets must be a non-empty list/],
    ['a bad launch type', { LaunchType: 'EC2' }, /LaunchType must be one of FARGATE\|FARGATE_SPOT \(got "EC2"\)/],
    ['api-key without a secret', { CredentialSecretArn: '' }, /CredentialSecretArn must be set when AuthMode is api-key/],
  ])('rejects %s naming the property', (_name, change, message) => {
    expect(() => readPoolSettings({ ...STACK_PROPERTIES, ...change })).toThrow(InvalidPropertiesError);
    expect(() => readPoolSettings({ ...STACK_PROPERTIES, ...change })).toThrow(message);
  });
});
