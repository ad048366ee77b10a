/**
 * The only actions this project grants on `Resource: "*"`, each with the reason: actions for
 * which the Service Authorization Reference lists no resource type, ecs:ListTasks by cluster, and
 * the two Lambda network interface actions explained below. The policy test fails on any other action on "*".
 */
export const UNSCOPED_ACTIONS: Readonly<Record<string, string>> = {
  'ecr:GetAuthorizationToken': 'ECR registry tokens are per account; the action has no resource type.',
  'ecs:DeregisterTaskDefinition': 'the worker may deregister task definitions it registered; the action has no resource type.',
  'ecs:DescribeTaskDefinition': 'the worker compares cached task definitions; the action has no resource type.',
  'ecs:ListTasks':
    'the scaler lists the tasks of its cluster (stuck-run recovery). The Service Authorization Reference lists the container-instance resource type, which applies only when the call names a container instance; a listing by cluster (Fargate tasks have no container instance) is authorized on "*" ("not authorized to perform: ecs:ListTasks on resource: *", cdklabs/construct-hub#1207, widdix/complete-aws-iam-reference#74), and the ecs:cluster condition limits it to this cluster.',
  'ec2:DescribeVpcs': 'the ECS worker validates the work pool VPC; EC2 Describe actions have no resource type.',
  'ec2:DescribeSubnets': 'the ECS worker validates the work pool subnets; EC2 Describe actions have no resource type.',
  'ec2:DescribeNetworkInterfaces': 'Lambdas in a VPC (server stack) look up their interfaces; EC2 Describe actions have no resource type.',
  'ec2:CreateNetworkInterface':
    'Lambdas in a VPC (server stack): the action has resource types (network-interface, subnet, security-group), but Lambda checks the permission when it creates or updates the function, for interface IDs it chooses itself; AWS\'s AWSLambdaVPCAccessExecutionRole grants it on "*" too.',
  'ec2:DeleteNetworkInterface':
    'Lambdas in a VPC (server stack): the action has the network-interface resource type, but the interfaces are created by Lambda with IDs not known in advance; AWS\'s AWSLambdaVPCAccessExecutionRole grants it on "*" too.',
};
