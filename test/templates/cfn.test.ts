import { sub } from '../../templates/core/cfn';
import { Res } from '../../templates/core/ids';
import { DuplicateLogicalIdError } from '../../templates/core/errors';
import { mergeFragments } from '../../templates/core/template';

describe('template fragments', () => {
  it('merges sections of several builders', () => {
    const merged = mergeFragments([
      { Resources: { [Res.ObserverQueue]: { Type: 'AWS::SQS::Queue' } } },
      { Resources: { [Res.LambdaDeadLetterQueue]: { Type: 'AWS::SQS::Queue' } }, Outputs: { Out: { Value: 'x' } } },
    ]);
    expect(Object.keys(merged.Resources)).toEqual(['EcsObserverQueue', 'LambdaDeadLetterQueue']);
    expect(merged.Outputs).toEqual({ Out: { Value: 'x' } });
  });

  it('rejects a logical ID that two builders define, naming section and ID', () => {
    expect(() =>
      mergeFragments([{ Resources: { [Res.AlarmTopic]: { Type: 'AWS::SQS::Queue' } } }, { Resources: { [Res.AlarmTopic]: { Type: 'AWS::SNS::Topic' } } }]),
    ).toThrow(new DuplicateLogicalIdError('Resources', 'AlarmTopic'));
  });

  it('emits Fn::Sub in its one-argument form unless variables are given', () => {
    expect(JSON.parse(JSON.stringify(sub('a-${AWS::Region}')))).toEqual({ 'Fn::Sub': 'a-${AWS::Region}' });
    expect(JSON.parse(JSON.stringify(sub('${X}', { X: 'y' })))).toEqual({ 'Fn::Sub': ['${X}', { X: 'y' }] });
  });
});
