/**
 * A VPC for the self-hosted stack, when the user does not bring one: two Availability Zones,
 * a public and a private subnet in each, and a way out for the private subnets: a NAT gateway
 * per zone (highly available), one NAT gateway (cheaper), or no internet at all and VPC
 * endpoints for exactly the AWS APIs the stack calls (images must then be in ECR).
 */
import { EC2 } from 'cloudform';
import { and, conditionRef, equals, iff, not, or, ref, select, sub, type Intrinsic } from '../core/cfn';
import type { TemplateFragment } from '../core/template';
import { Cond, Param, Res } from '../core/ids';

const ZONES = [0, 1] as const;
const cidrs = { 'Fn::Cidr': [ref(Param.VpcCidr), 4, 12] };
const zone = (i: number) => select(i, { 'Fn::GetAZs': '' });

export const publicSubnetId = (i: number) => `PublicSubnet${i + 1}`;
export const privateSubnetId = (i: number) => `PrivateSubnet${i + 1}`;

/**
 * Interface endpoints the stack needs without a NAT gateway: image pulls (ecr.api, ecr.dkr and
 * the S3 gateway), task logs and secrets, the worker's task observer (sqs) and RunTask (ecs),
 * the scaler (ecs) and the registrar (ecr.api, ssm). Fargate needs no ecs-agent/telemetry.
 */
export const INTERFACE_ENDPOINTS = ['ecr.api', 'ecr.dkr', 'logs', 'secretsmanager', 'sqs', 'ssm', 'ecs'] as const;

const endpointId = (service: string) => `Endpoint${service.replace(/(^|[.-])(\w)/g, (_m, _s, c: string) => c.toUpperCase())}`;

const given = (list: string) => not(equals({ 'Fn::Join': ['', ref(list)] }, ''));

/** A VPC is created unless the user names one (Rules keep the subnet lists consistent with that). */
export function vpcConditions() {
  return {
    [Cond.CreateVpc]: equals(ref(Param.VpcId), ''),
    [Cond.HasPrivateSubnetIds]: given(Param.PrivateSubnetIds),
    [Cond.HasPublicSubnetIds]: given(Param.PublicSubnetIds),
    [Cond.UseNatGateways]: and(conditionRef(Cond.CreateVpc), or(equals(ref(Param.NetworkMode), 'nat-gateways'), equals(ref(Param.NetworkMode), 'single-nat-gateway'))),
    [Cond.UseNatGatewayPerZone]: and(conditionRef(Cond.CreateVpc), equals(ref(Param.NetworkMode), 'nat-gateways')),
    [Cond.UseVpcEndpoints]: and(conditionRef(Cond.CreateVpc), equals(ref(Param.NetworkMode), 'vpc-endpoints')),
  };
}

/** The VPC in use: created, or the user's. */
export const vpcIdValue = (): Intrinsic => iff(Cond.CreateVpc, ref(Res.Vpc), ref(Param.VpcId));
export const publicSubnetsValue = (): Intrinsic => iff(Cond.HasPublicSubnetIds, ref(Param.PublicSubnetIds), ZONES.map((i) => ref(publicSubnetId(i))));
export const privateSubnetsValue = (): Intrinsic => iff(Cond.HasPrivateSubnetIds, ref(Param.PrivateSubnetIds), ZONES.map((i) => ref(privateSubnetId(i))));

export function buildVpc(): TemplateFragment {
  const created = <T extends { condition(c: string): T }>(resource: T, condition: string = Cond.CreateVpc) => resource.condition(condition);
  const resources: Record<string, unknown> = {
    [Res.Vpc]: created(new EC2.VPC({ CidrBlock: ref(Param.VpcCidr), EnableDnsHostnames: true, EnableDnsSupport: true })),
    [Res.InternetGateway]: created(new EC2.InternetGateway({})),
    [Res.GatewayAttachment]: created(new EC2.VPCGatewayAttachment({ VpcId: ref(Res.Vpc), InternetGatewayId: ref(Res.InternetGateway) })),
    [Res.PublicRouteTable]: created(new EC2.RouteTable({ VpcId: ref(Res.Vpc) })),
    [Res.PublicDefaultRoute]: created(
      new EC2.Route({ RouteTableId: ref(Res.PublicRouteTable), DestinationCidrBlock: '0.0.0.0/0', GatewayId: ref(Res.InternetGateway) }).dependsOn(Res.GatewayAttachment),
    ),
  };
  for (const i of ZONES) {
    const n = i + 1;
    resources[publicSubnetId(i)] = created(new EC2.Subnet({ VpcId: ref(Res.Vpc), AvailabilityZone: zone(i), CidrBlock: select(i, cidrs), MapPublicIpOnLaunch: false }));
    resources[`PublicSubnet${n}Routes`] = created(new EC2.SubnetRouteTableAssociation({ SubnetId: ref(publicSubnetId(i)), RouteTableId: ref(Res.PublicRouteTable) }));
    resources[privateSubnetId(i)] = created(new EC2.Subnet({ VpcId: ref(Res.Vpc), AvailabilityZone: zone(i), CidrBlock: select(i + 2, cidrs), MapPublicIpOnLaunch: false }));
    resources[`PrivateRouteTable${n}`] = created(new EC2.RouteTable({ VpcId: ref(Res.Vpc) }));
    resources[`PrivateSubnet${n}Routes`] = created(new EC2.SubnetRouteTableAssociation({ SubnetId: ref(privateSubnetId(i)), RouteTableId: ref(`PrivateRouteTable${n}`) }));
    // The first zone's NAT gateway always exists in NAT mode; the second only with one per zone.
    const natCondition = i === 0 ? Cond.UseNatGateways : Cond.UseNatGatewayPerZone;
    resources[`NatAddress${n}`] = created(new EC2.EIP({ Domain: 'vpc' }).dependsOn(Res.GatewayAttachment), natCondition);
    resources[`NatGateway${n}`] = created(
      new EC2.NatGateway({ AllocationId: { 'Fn::GetAtt': [`NatAddress${n}`, 'AllocationId'] } as never, SubnetId: ref(publicSubnetId(i)) }),
      natCondition,
    );
    resources[`PrivateDefaultRoute${n}`] = created(
      new EC2.Route({
        RouteTableId: ref(`PrivateRouteTable${n}`),
        DestinationCidrBlock: '0.0.0.0/0',
        NatGatewayId: i === 0 ? ref('NatGateway1') : iff(Cond.UseNatGatewayPerZone, ref('NatGateway2'), ref('NatGateway1')),
      }),
      Cond.UseNatGateways,
    );
  }
  resources[Res.EndpointSecurityGroup] = created(
    new EC2.SecurityGroup({
      GroupDescription: sub('VPC endpoints of ${AWS::StackName}: HTTPS from inside the VPC'),
      VpcId: ref(Res.Vpc),
      SecurityGroupIngress: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: ref(Param.VpcCidr), Description: 'AWS APIs from the VPC' }],
      SecurityGroupEgress: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: ref(Param.VpcCidr), Description: 'answers within the VPC' }],
    }),
    Cond.UseVpcEndpoints,
  );
  for (const service of INTERFACE_ENDPOINTS) {
    resources[endpointId(service)] = created(
      new EC2.VPCEndpoint({
        VpcEndpointType: 'Interface',
        ServiceName: sub(`com.amazonaws.\${AWS::Region}.${service}`),
        VpcId: ref(Res.Vpc),
        // One zone keeps the bill at one interface per endpoint; the other zone reaches it across zones.
        SubnetIds: [ref(privateSubnetId(0))],
        SecurityGroupIds: [ref(Res.EndpointSecurityGroup)],
        PrivateDnsEnabled: true,
      }),
      Cond.UseVpcEndpoints,
    );
  }
  resources[Res.S3GatewayEndpoint] = created(
    new EC2.VPCEndpoint({
      VpcEndpointType: 'Gateway',
      ServiceName: sub('com.amazonaws.${AWS::Region}.s3'),
      VpcId: ref(Res.Vpc),
      RouteTableIds: ZONES.map((i) => ref(`PrivateRouteTable${i + 1}`)),
    }),
    Cond.UseVpcEndpoints,
  );
  return { Conditions: vpcConditions(), Resources: resources as TemplateFragment['Resources'] };
}
