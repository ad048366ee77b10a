/**
 * A typo in a logical ID, a parameter, a condition or a pseudo parameter fails to compile, and so
 * does a Lambda environment that leaves out a variable of its contract or a config that reads a
 * variable outside it. The misspellings are compiled here with the TypeScript API, each line
 * asserted to fail with its own error code, so the test holds under jest alone.
 */
import { conditionRef, getAtt, iff, ref } from '../../templates/core/cfn';
import { Cond, Param, Res, ZonalRes, loadBalancerIngressId } from '../../templates/core/ids';
import { codesPerLine } from '../support/compileProbe';

describe('typed references', () => {
  it('accept the typed IDs', () => {
    const references = [
      ref(Param.VpcId),
      ref(Res.Cluster),
      ref('AWS::StackName'),
      ref(ZonalRes.PrivateRouteTable(2)),
      getAtt(Res.WorkerService, 'Name'),
      iff(Cond.CreateVpc, 'a', 'b'),
      conditionRef(Cond.UseHttps),
    ];
    expect(JSON.parse(JSON.stringify(references))).toEqual([
      { Ref: 'VpcId' },
      { Ref: 'Cluster' },
      { Ref: 'AWS::StackName' },
      { Ref: 'PrivateRouteTable2' },
      { 'Fn::GetAtt': ['WorkerService', 'Name'] },
      { 'Fn::If': ['CreateVpc', 'a', 'b'] },
      { Condition: 'UseHttps' },
    ]);
    expect(loadBalancerIngressId(443, Res.LambdaSecurityGroup)).toBe('LoadBalancerIngress443FromLambdaSecurityGroup');
  });

  /** Each line with the error tsc must give it: TS2345 argument not assignable, TS2561 unknown key, TS2741 missing property. */
  const MISSPELLINGS: readonly (readonly [string, string, number])[] = [
    ['no such parameter', "ref('VpcID');", 2345],
    ['no such resource', "getAtt('WorkerServce', 'Name');", 2345],
    ['pseudo parameters are a closed set', "ref('AWS::StackNme');", 2345],
    ['no such condition in Fn::If', "iff('CreateVPC', 'a', 'b');", 2345],
    ['no such condition', "conditionRef('UseHTTPS');", 2345],
    ['a created VPC has zones 1 and 2', 'ZonalRes.PrivateSubnet(3);', 2345],
    ['built IDs are typed too', 'ref(`PrivateRouteTable${3 as number}`);', 2345],
    ["a fragment's resources are keyed by known IDs", "export const fragment: TemplateFragment = { Resources: { Clustre: { Type: 'AWS::ECS::Cluster' } } };", 2561],
    [
      'a function environment that leaves out a variable of its contract (WORK_POOL)',
      "export const environment: EnvironmentOf<typeof RegistrarEnv> = { [RegistrarEnv.ApiUrl]: 'x', [RegistrarEnv.AuthMode]: 'none', [RegistrarEnv.SecretArn]: '', [RegistrarEnv.ManifestParameter]: 'p', [RegistrarEnv.WatchedRepositories]: 'r', [RegistrarEnv.UrlSuffix]: 'amazonaws.com' };",
      2741,
    ],
    ['a Sub variable that is no parameter or pseudo parameter', "sub('arn:${AWS::Partition}:ecs:${AWS::Regoin}');", 2345],
    ['a Sub variable misspelled', "sub('${ManifestParameterNme}');", 2345],
    ['a Sub attribute of no resource', "sub('${ScalerFunctoin.Arn}');", 2345],
    ['a Sub variable missing from vars', "sub('${Name}-${Other}', { Name: 'x' });", 2345],
    ['a config that reads a variable no template writes', "requireString(scalerEnv, 'SCALER_REGION');", 2345],
    ["a config that reads another function's variable", 'requireString(scalerEnv, RegistrarEnv.ManifestParameter);', 2345],
  ];
  const CORRECT = [
    "sub('arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:cluster/${Cluster}');",
    "sub('${ScalerFunction.Arn} ${!Literal} ${Name}', { Name: 'x' });",
    'sub(`${String(Date.now())}`);',
    "ref('VpcId');", "getAtt('WorkerService', 'Name');", 'requireString(scalerEnv, ScalerEnv.MinWorkers);', 'optionalString(scalerEnv, ScalerEnv.StackName);'];
  const HEADER = `import { conditionRef, getAtt, iff, ref, sub } from './templates/core/cfn';
import { ZonalRes } from './templates/core/ids';
import type { TemplateFragment } from './templates/core/template';
import type { EnvironmentOf } from './templates/functions/lambda';
import { RegistrarEnv } from './lambdas/registrar/env';
import { optionalString, requireString, type EnvOf } from './lambdas/common/config';
import type { EnvName } from './lambdas/common/env';
import { ScalerEnv } from './lambdas/scaler/env';
declare const scalerEnv: EnvOf<EnvName<typeof ScalerEnv>>;`;

  it('reject each misspelling at compile time, with the error that names it', () => {
    const codes = codesPerLine(HEADER, [...MISSPELLINGS.map(([, line]) => line), ...CORRECT]);
    expect(MISSPELLINGS.map(([why], i) => [why, codes[i]])).toEqual(MISSPELLINGS.map(([why, , code]) => [why, [code]]));
    expect(codes.slice(MISSPELLINGS.length)).toEqual(CORRECT.map(() => []));
  });
});
