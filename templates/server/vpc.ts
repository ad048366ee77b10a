/**
 * A VPC for the self-hosted stack, when the user does not bring one: two Availability Zones,
 * a public and a private subnet in each, and a way out for the private subnets: a NAT gateway
 * per zone (highly available), one NAT gateway (cheaper), or no internet at all and VPC
 * endpoints for exactly the AWS APIs the stack calls (images must then be in ECR).
 */
import { EC2 } from 'cloudform';
import { and, cidr, conditionRef, equals, getAtt, getAZs, iff, isEmpty, members, not, or, ref, select, sub, type Intrinsic } from '../core/cfn';
import { Cond, EndpointRes, Param, Res, ZONES, ZonalRes, type CondId, type Zone } from '../core/ids';
import type { TemplateFragment } from '../core/template';

/** Four /20s (12 host bits) of the VPC range: the public subnets first, then the private ones. */
const subnetCidrs = cidr(ref(Param.VpcCidr), 4, 12);
const availabilityZone = (zone: Zone) => select(zone - 1, getAZs());

/** What the stack creates in its VPC exists only under CreateVpc, or a narrower condition. */
const created = <T extends { condition(c: string): T }>(resource: T, condition: CondId = Cond.CreateVpc) => resource.condition(condition);

/** A VPC is created unless the user names one (Rules keep the subnet lists consistent with that). */
export function vpcConditions(): NonNullable<TemplateFragment['Conditions']> {
  return {
    [Cond.CreateVpc]: equals(ref(Param.VpcId), ''),
    [Cond.HasPrivateSubnetIds]: not(isEmpty(Param.PrivateSubnetIds)),
    [Cond.UseNatGateways]: and(conditionRef(Cond.CreateVpc), or(equals(ref(Param.NetworkMode), 'nat-gateways'), equals(ref(Param.NetworkMode), 'single-nat-gateway'))),
    [Cond.UseNatGatewayPerZone]: and(conditionRef(Cond.CreateVpc), equals(ref(Param.NetworkMode), 'nat-gateways')),
    [Cond.UseVpcEndpoints]: and(conditionRef(Cond.CreateVpc), equals(ref(Param.NetworkMode), 'vpc-endpoints')),
  };
}

/** The VPC in use: created, or the user's. */
export const vpcIdValue = (): Intrinsic => iff(Cond.CreateVpc, ref(Res.Vpc), ref(Param.VpcId));
/** The public subnets of the created VPC (an internet-facing load balancer needs that VPC: see serverRules). */
export const publicSubnetsValue = () => ZONES.map((z) => ref(ZonalRes.PublicSubnet(z)));
export const privateSubnetsValue = (): Intrinsic => iff(Cond.HasPrivateSubnetIds, members(Param.PrivateSubnetIds), ZONES.map((z) => ref(ZonalRes.PrivateSubnet(z))));

/** A zone's subnets, their routes, and its way out through a NAT gateway. */
function zoneResources(zone: Zone): NonNullable<TemplateFragment['Resources']> {
  // The first zone's NAT gateway always exists in NAT mode; the second only with one per zone.
  const natCondition = zone === 1 ? Cond.UseNatGateways : Cond.UseNatGatewayPerZone;
  return {
    [ZonalRes.PublicSubnet(zone)]: created(new EC2.Subnet({ VpcId: ref(Res.Vpc), AvailabilityZone: availabilityZone(zone), CidrBlock: select(zone - 1, subnetCidrs), MapPublicIpOnLaunch: false })),
    [ZonalRes.PublicSubnetRoutes(zone)]: created(new EC2.SubnetRouteTableAssociation({ SubnetId: ref(ZonalRes.PublicSubnet(zone)), RouteTableId: ref(Res.PublicRouteTable) })),
    [ZonalRes.PrivateSubnet(zone)]: created(new EC2.Subnet({ VpcId: ref(Res.Vpc), AvailabilityZone: availabilityZone(zone), CidrBlock: select(zone + 1, subnetCidrs), MapPublicIpOnLaunch: false })),
    [ZonalRes.PrivateRouteTable(zone)]: created(new EC2.RouteTable({ VpcId: ref(Res.Vpc) })),
    [ZonalRes.PrivateSubnetRoutes(zone)]: created(new EC2.SubnetRouteTableAssociation({ SubnetId: ref(ZonalRes.PrivateSubnet(zone)), RouteTableId: ref(ZonalRes.PrivateRouteTable(zone)) })),
    [ZonalRes.NatAddress(zone)]: created(new EC2.EIP({ Domain: 'vpc' }).dependsOn(Res.GatewayAttachment), natCondition),
    [ZonalRes.NatGateway(zone)]: created(
      new EC2.NatGateway({ AllocationId: getAtt(ZonalRes.NatAddress(zone), 'AllocationId'), SubnetId: ref(ZonalRes.PublicSubnet(zone)) }),
      natCondition,
    ),
    [ZonalRes.PrivateDefaultRoute(zone)]: created(
      new EC2.Route({
        RouteTableId: ref(ZonalRes.PrivateRouteTable(zone)),
        DestinationCidrBlock: '0.0.0.0/0',
        NatGatewayId: zone === 1 ? ref(ZonalRes.NatGateway(1)) : iff(Cond.UseNatGatewayPerZone, ref(ZonalRes.NatGateway(2)), ref(ZonalRes.NatGateway(1))),
      }),
      Cond.UseNatGateways,
    ),
  };
}

export function buildVpc(): TemplateFragment {
  const endpoints = Object.entries(EndpointRes).map(([service, id]) => [
    id,
    created(
      new EC2.VPCEndpoint({
        VpcEndpointType: 'Interface',
        ServiceName: sub(`com.amazonaws.\${AWS::Region}.${service}`),
        VpcId: ref(Res.Vpc),
        // One zone keeps the bill at one interface per endpoint; the other zone reaches it across
        // zones (README "Self-hosted Prefect" says why one zone is enough here).
        SubnetIds: [ref(ZonalRes.PrivateSubnet(1))],
        SecurityGroupIds: [ref(Res.EndpointSecurityGroup)],
        PrivateDnsEnabled: true,
      }),
      Cond.UseVpcEndpoints,
    ),
  ]);
  return {
    Conditions: vpcConditions(),
    Resources: {
      [Res.Vpc]: created(new EC2.VPC({ CidrBlock: ref(Param.VpcCidr), EnableDnsHostnames: true, EnableDnsSupport: true })),
      [Res.InternetGateway]: created(new EC2.InternetGateway({})),
      [Res.GatewayAttachment]: created(new EC2.VPCGatewayAttachment({ VpcId: ref(Res.Vpc), InternetGatewayId: ref(Res.InternetGateway) })),
      [Res.PublicRouteTable]: created(new EC2.RouteTable({ VpcId: ref(Res.Vpc) })),
      [Res.PublicDefaultRoute]: created(
        new EC2.Route({ RouteTableId: ref(Res.PublicRouteTable), DestinationCidrBlock: '0.0.0.0/0', GatewayId: ref(Res.InternetGateway) }).dependsOn(Res.GatewayAttachment),
      ),
      ...Object.assign({}, ...ZONES.map(zoneResources)),
      [Res.EndpointSecurityGroup]: created(
        new EC2.SecurityGroup({
          GroupDescription: sub('VPC endpoints of ${AWS::StackName}: HTTPS from inside the VPC'),
          VpcId: ref(Res.Vpc),
          SecurityGroupIngress: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: ref(Param.VpcCidr), Description: 'AWS APIs from the VPC' }],
          SecurityGroupEgress: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: ref(Param.VpcCidr), Description: 'answers within the VPC' }],
        }),
        Cond.UseVpcEndpoints,
      ),
      ...Object.fromEntries(endpoints),
      [Res.S3GatewayEndpoint]: created(
        new EC2.VPCEndpoint({
          VpcEndpointType: 'Gateway',
          ServiceName: sub('com.amazonaws.${AWS::Region}.s3'),
          VpcId: ref(Res.Vpc),
          RouteTableIds: ZONES.map((zone) => ref(ZonalRes.PrivateRouteTable(zone))),
        }),
        Cond.UseVpcEndpoints,
      ),
    },
  };
}
