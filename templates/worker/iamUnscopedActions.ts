/**
 * The only actions this project grants on `Resource: "*"`, each with the reason. These are
 * actions that AWS does not scope to a resource (the Service Authorization Reference lists no
 * resource type for them). The policy test fails on any other action on "*".
 */
export const UNSCOPED_ACTIONS: Readonly<Record<string, string>> = {
  'ecr:GetAuthorizationToken': 'ECR registry tokens are per account; the action has no resource type.',
  'ecs:RegisterTaskDefinition': 'the worker registers one task definition per deployment; the action has no resource type.',
  'ecs:DeregisterTaskDefinition': 'the worker may deregister task definitions it registered; the action has no resource type.',
  'ecs:DescribeTaskDefinition': 'the worker compares cached task definitions; the action has no resource type.',
  'ec2:DescribeVpcs': 'the ECS worker validates the work pool VPC; EC2 Describe actions have no resource type.',
  'ec2:DescribeSubnets': 'the ECS worker validates the work pool subnets; EC2 Describe actions have no resource type.',
  'ec2:CreateNetworkInterface': 'Lambdas in a VPC (self-hosted stack) attach network interfaces; the subnet and group are chosen by Lambda, not by us.',
  'ec2:DescribeNetworkInterfaces': 'Lambdas in a VPC look up their interfaces; EC2 Describe actions have no resource type.',
  'ec2:DeleteNetworkInterface': 'Lambdas in a VPC remove their interfaces; the interface IDs are Lambda\'s, not known in advance.',
};
