/**
 * A typo in a logical ID, a parameter, a condition or a pseudo parameter fails to compile, and so
 * does a Lambda environment that leaves out a variable of its contract. Each `@ts-expect-error`
 * below is checked by tsc, which `npm test` runs over test/ before jest: were the line to
 * compile, the unused directive would be the error.
 */
import { RegistrarEnv } from '../../lambdas/registrar/env';
import { conditionRef, getAtt, iff, ref } from '../../templates/core/cfn';
import { Cond, Param, Res, ZonalRes, loadBalancerIngressId } from '../../templates/core/ids';
import type { TemplateFragment } from '../../templates/core/template';
import type { EnvironmentOf } from '../../templates/functions/lambda';

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

  it('reject a misspelled ID at compile time', () => {
    const misspelled = () => [
      // @ts-expect-error: no such parameter
      ref('VpcID'),
      // @ts-expect-error: no such resource
      getAtt('WorkerServce', 'Name'),
      // @ts-expect-error: pseudo parameters are a closed set
      ref('AWS::StackNme'),
      // @ts-expect-error: no such condition
      iff('CreateVPC', 'a', 'b'),
      // @ts-expect-error: no such condition
      conditionRef('UseHTTPS'),
      // @ts-expect-error: a created VPC has zones 1 and 2
      ZonalRes.PrivateSubnet(3),
      // @ts-expect-error: built IDs are typed too
      ref(`PrivateRouteTable${3 as number}`),
    ];
    const fragment: TemplateFragment = {
      // @ts-expect-error: a fragment's resources are keyed by known IDs
      Resources: { Clustre: { Type: 'AWS::ECS::Cluster' } },
    };
    expect(misspelled).toBeInstanceOf(Function);
    expect(fragment.Resources).toBeDefined();
  });

  it('reject a function environment that leaves out a variable of its contract', () => {
    // @ts-expect-error: WORK_POOL is missing
    const environment: EnvironmentOf<typeof RegistrarEnv> = {
      [RegistrarEnv.ApiUrl]: 'https://prefect.test/api',
      [RegistrarEnv.AuthMode]: 'none',
      [RegistrarEnv.SecretArn]: '',
      [RegistrarEnv.ManifestParameter]: '/prefect/manifest',
    };
    expect(Object.keys(environment)).toHaveLength(4);
  });
});
