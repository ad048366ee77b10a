/**
 * Who may talk to whom in the self-hosted stack: people and the stack's workers, flow runs and
 * Lambdas reach the load balancer; only the load balancer reaches the server; only the server
 * reaches the database.
 */
import { EC2 } from 'cloudform';
import { getAtt, ref, sub, type Intrinsic } from '../core/cfn';
import { API_CLIENT_GROUPS, Cond, LOAD_BALANCER_PORTS, Param, Res, ZONES, ZonalRes, loadBalancerIngressId, type ResId } from '../core/ids';
import type { TemplateFragment } from '../core/template';
import { DATABASE_PORT, SERVER_PORT } from './constants';
import { vpcIdValue } from './vpc';

export function buildServerSecurityGroups(): TemplateFragment {
  const group = (what: string, egress: { IpProtocol: string; CidrIp: string; Description: string }[]) =>
    new EC2.SecurityGroup({ GroupDescription: sub(`${what} of \${AWS::StackName}`), VpcId: vpcIdValue(), SecurityGroupEgress: egress });
  const fromGroup = (GroupId: Intrinsic, port: number, source: ResId, Description: string) =>
    new EC2.SecurityGroupIngress({ GroupId, IpProtocol: 'tcp', FromPort: port, ToPort: port, SourceSecurityGroupId: ref(source), Description });
  return {
    Resources: {
      [Res.LoadBalancerSecurityGroup]: new EC2.SecurityGroup({
        GroupDescription: sub('Prefect load balancer of ${AWS::StackName}: HTTP(S) from the allowed CIDR and the stack'),
        VpcId: vpcIdValue(),
        SecurityGroupIngress: LOAD_BALANCER_PORTS.map((port) => ({ IpProtocol: 'tcp', FromPort: port, ToPort: port, CidrIp: ref(Param.AllowedCidr), Description: 'people and clients' })),
        SecurityGroupEgress: [{ IpProtocol: 'tcp', FromPort: SERVER_PORT, ToPort: SERVER_PORT, CidrIp: '0.0.0.0/0', Description: 'to the server tasks (their group admits only this one)' }],
      }),
      ...Object.fromEntries(
        API_CLIENT_GROUPS.flatMap((source) =>
          LOAD_BALANCER_PORTS.map((port) => [loadBalancerIngressId(port, source), fromGroup(ref(Res.LoadBalancerSecurityGroup), port, source, `API calls from ${source}`)]),
        ),
      ),
      // An internet-facing load balancer sees the stack's workers, flow runs and Lambdas at their
      // NAT gateway's public address (a group reference matches only private addresses):
      // admit each NAT address of the created VPC on HTTPS, the only port the API URL uses.
      ...Object.fromEntries(
        ZONES.map((zone) => [
          ZonalRes.LoadBalancerIngressFromNat(zone),
          new EC2.SecurityGroupIngress({
            GroupId: ref(Res.LoadBalancerSecurityGroup),
            IpProtocol: 'tcp',
            FromPort: 443,
            ToPort: 443,
            CidrIp: sub('${Address}/32', { Address: getAtt(ZonalRes.NatAddress(zone), 'PublicIp') }),
            Description: `the stack's own API calls through NAT gateway ${zone}`,
          }).condition(zone === 1 ? Cond.InternetFacingThroughNat1 : Cond.InternetFacingThroughNat2),
        ]),
      ),
      [Res.ServerSecurityGroup]: group('Prefect server', [{ IpProtocol: '-1', CidrIp: '0.0.0.0/0', Description: 'database, AWS APIs, image registry' }]),
      [Res.ServerIngressFromLoadBalancer]: fromGroup(ref(Res.ServerSecurityGroup), SERVER_PORT, Res.LoadBalancerSecurityGroup, 'only the load balancer reaches the server'),
      // No egress at all: a database answers, it does not call out.
      [Res.DatabaseSecurityGroup]: group('Prefect database', [{ IpProtocol: '-1', CidrIp: '127.0.0.1/32', Description: 'no outbound traffic' }]),
      [Res.DatabaseIngressFromServer]: fromGroup(ref(Res.DatabaseSecurityGroup), DATABASE_PORT, Res.ServerSecurityGroup, 'only the Prefect server reaches PostgreSQL'),
      [Res.LambdaSecurityGroup]: group('stack Lambdas', [{ IpProtocol: '-1', CidrIp: '0.0.0.0/0', Description: 'Prefect API, AWS APIs' }]),
    },
  };
}
