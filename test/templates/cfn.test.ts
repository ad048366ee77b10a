import { DuplicateLogicalIdError, mergeFragments } from '../../templates/core/template';
import { sub } from '../../templates/core/cfn';

describe('template fragments', () => {
  it('merges sections of several builders', () => {
    const merged = mergeFragments([
      { Resources: { A: { Type: 'AWS::SQS::Queue' } } },
      { Resources: { B: { Type: 'AWS::SQS::Queue' } }, Outputs: { Out: { Value: 'x' } } },
    ]);
    expect(Object.keys(merged.Resources)).toEqual(['A', 'B']);
    expect(merged.Outputs).toEqual({ Out: { Value: 'x' } });
  });

  it('rejects a logical ID that two builders define, naming section and ID', () => {
    expect(() =>
      mergeFragments([{ Resources: { Queue: { Type: 'AWS::SQS::Queue' } } }, { Resources: { Queue: { Type: 'AWS::SNS::Topic' } } }]),
    ).toThrow(new DuplicateLogicalIdError('Resources', 'Queue'));
  });

  it('emits Fn::Sub in its one-argument form unless variables are given', () => {
    expect(JSON.parse(JSON.stringify(sub('a-${AWS::Region}')))).toEqual({ 'Fn::Sub': 'a-${AWS::Region}' });
    expect(JSON.parse(JSON.stringify(sub('${X}', { X: 'y' })))).toEqual({ 'Fn::Sub': ['${X}', { X: 'y' }] });
  });
});
