/**
 * The Application Load Balancer in front of the server: internal or internet-facing, HTTP, or
 * HTTPS with a certificate (HTTP then redirects) and a Route 53 alias record for its name,
 * health-checked on /api/health. It also gives the URL everyone uses to reach the API.
 */
import { ElasticLoadBalancingV2, Route53 } from 'cloudform';
import { and, conditionRef, equals, getAtt, iff, not, ref, sub, type Intrinsic } from '../core/cfn';
import { Cond, Param, Res } from '../core/ids';
import type { TemplateFragment } from '../core/template';
import { SERVER_PORT } from './constants';
import { privateSubnetsValue, publicSubnetsValue, vpcIdValue } from './vpc';

/** The API URL workers, Lambdas and people use: HTTPS on the certificate's name, else the ALB's DNS name. */
export const serverApiUrl = (): Intrinsic =>
  iff(Cond.UseHttps, sub('https://${ServerDomainName}/api'), sub('http://${LoadBalancer.DNSName}/api'));
export const serverUiUrl = (): Intrinsic => iff(Cond.UseHttps, sub('https://${ServerDomainName}'), sub('http://${LoadBalancer.DNSName}'));

export function buildLoadBalancer(): TemplateFragment {
  const forward = [{ Type: 'forward', TargetGroupArn: ref(Res.ServerTargetGroup) }];
  return {
    Conditions: {
      [Cond.UseHttps]: not(equals(ref(Param.CertificateArn), '')),
      [Cond.InternetFacing]: equals(ref(Param.LoadBalancerScheme), 'internet-facing'),
      [Cond.InternetFacingThroughNat1]: and(conditionRef(Cond.InternetFacing), conditionRef(Cond.UseNatGateways)),
      [Cond.InternetFacingThroughNat2]: and(conditionRef(Cond.InternetFacing), conditionRef(Cond.UseNatGatewayPerZone)),
    },
    Resources: {
      [Res.LoadBalancer]: new ElasticLoadBalancingV2.LoadBalancer({
        Type: 'application',
        Scheme: ref(Param.LoadBalancerScheme),
        Subnets: iff(Cond.InternetFacing, publicSubnetsValue(), privateSubnetsValue()),
        SecurityGroups: [ref(Res.LoadBalancerSecurityGroup)],
        LoadBalancerAttributes: [
          { Key: 'routing.http.drop_invalid_header_fields.enabled', Value: 'true' },
          { Key: 'routing.http.desync_mitigation_mode', Value: 'defensive' },
        ],
      }),
      [Res.ServerTargetGroup]: new ElasticLoadBalancingV2.TargetGroup({
        TargetType: 'ip',
        Protocol: 'HTTP',
        Port: SERVER_PORT,
        VpcId: vpcIdValue(),
        HealthCheckPath: '/api/health',
        Matcher: { HttpCode: '200' },
        HealthCheckIntervalSeconds: 15,
        HealthyThresholdCount: 2,
        UnhealthyThresholdCount: 3,
        TargetGroupAttributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '30' }],
      }),
      [Res.HttpListener]: new ElasticLoadBalancingV2.Listener({
        LoadBalancerArn: ref(Res.LoadBalancer),
        Port: 80,
        Protocol: 'HTTP',
        DefaultActions: iff(Cond.UseHttps, [{ Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' } }], forward),
      }),
      [Res.HttpsListener]: new ElasticLoadBalancingV2.Listener({
        LoadBalancerArn: ref(Res.LoadBalancer),
        Port: 443,
        Protocol: 'HTTPS',
        Certificates: [{ CertificateArn: ref(Param.CertificateArn) }],
        SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
        DefaultActions: forward,
      }).condition(Cond.UseHttps),
      // ServerDomainName points at the load balancer (the API URL uses it), created with the stack.
      [Res.ServerDnsRecord]: new Route53.RecordSet({
        HostedZoneId: ref(Param.HostedZoneId),
        Name: ref(Param.ServerDomainName),
        Type: 'A',
        AliasTarget: { HostedZoneId: getAtt(Res.LoadBalancer, 'CanonicalHostedZoneID'), DNSName: getAtt(Res.LoadBalancer, 'DNSName'), EvaluateTargetHealth: false },
      }).condition(Cond.UseHttps),
    },
  };
}
