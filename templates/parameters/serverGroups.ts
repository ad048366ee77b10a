/**
 * Parameters of the self-hosted server stack on top of the worker's: the network (a new VPC with
 * NAT gateways or VPC endpoints, or yours), the server task, the load balancer and the database.
 */
import { FARGATE_SIZES } from '../core/constants';
import { Param } from '../core/ids';
import { CACHE_NODE_TYPES, MAX_SERVER_MAX_REPLICAS, MAX_SERVER_REPLICAS } from '../server/constants';
import type { ResolvedWorkerStackOptions } from './options';
import { PINNED_IMAGE_PATTERN, SUBNET_IDS_PATTERN } from './patterns';
import type { Group } from './types';

/** A pinned Prefect 3 server image, the same Prefect version as the default worker image. */
export const DEFAULT_SERVER_IMAGE = 'prefecthq/prefect:3.6.28-python3.12';
/** Graviton and burstable classes first: a Prefect server's database is small and mostly idle. */
export const DB_INSTANCE_CLASSES = ['db.t4g.micro', 'db.t4g.small', 'db.t4g.medium', 'db.t4g.large', 'db.m7g.large', 'db.m7g.xlarge', 'db.r7g.large'];

export function serverGroups(_o: ResolvedWorkerStackOptions): Group[] {
  return [
    {
      label: 'Network',
      parameters: {
        [Param.NetworkMode]: {
          label: 'Network',
          parameter: {
            Type: 'String',
            Description:
              'For a VPC the stack creates (no VpcId below): nat-gateways, one NAT gateway per zone (highly available); single-nat-gateway, one for both zones (cheaper); vpc-endpoints, no internet, endpoints for the AWS APIs the stack uses (images must then be in ECR).',
            AllowedValues: ['nat-gateways', 'single-nat-gateway', 'vpc-endpoints'],
            Default: 'nat-gateways',
          },
        },
        [Param.VpcCidr]: {
          label: 'New VPC CIDR',
          parameter: { Type: 'String', Description: 'Address range of a new VPC (/16 to /22).', Default: '10.80.0.0/16', AllowedPattern: '^(\\d{1,3}\\.){3}\\d{1,3}/(1[6-9]|2[0-2])$' },
        },
        [Param.VpcId]: {
          label: 'Existing VPC',
          parameter: { Type: 'String', Description: 'Your VPC, to use it instead of creating one; then also give the subnets below.', Default: '', AllowedPattern: '^(vpc-[0-9a-f]{8,17})?$' },
        },
        [Param.PrivateSubnetIds]: {
          label: 'Existing private subnets',
          parameter: {
            Type: 'String',
            Description: 'With VpcId: two or more comma-separated private subnets (no spaces) in different zones, with a NAT gateway or VPC endpoints.',
            Default: '',
            AllowedPattern: SUBNET_IDS_PATTERN,
            ConstraintDescription: 'must be 2 to 16 subnet IDs separated by commas, without spaces',
          },
        },
      },
    },
    {
      label: 'Prefect server',
      parameters: {
        [Param.ServerImage]: {
          label: 'Server image',
          parameter: { Type: 'String', Description: 'Prefect 3 image with a pinned version tag or digest.', Default: DEFAULT_SERVER_IMAGE, AllowedPattern: PINNED_IMAGE_PATTERN },
        },
        [Param.ServerSize]: {
          label: 'Server size (CPU units/MiB)',
          parameter: { Type: 'String', Description: 'Fargate CPU and memory of the server task.', Default: '1024/2048', AllowedValues: [...FARGATE_SIZES] },
        },
        [Param.LoadBalancerScheme]: {
          label: 'Load balancer',
          parameter: {
            Type: 'String',
            Description:
              'internal: reachable only inside the VPC (and peered networks). internet-facing: from the internet, limited to the allowed CIDR; needs HTTPS and the VPC the stack creates with NAT gateways.',
            AllowedValues: ['internal', 'internet-facing'],
            Default: 'internal',
          },
        },
        [Param.AllowedCidr]: {
          label: 'Allowed CIDR',
          parameter: { Type: 'String', Description: 'Who may reach the UI and API (the stack itself always may).', Default: '10.0.0.0/8', AllowedPattern: '^(\\d{1,3}\\.){3}\\d{1,3}/\\d{1,2}$' },
        },
        [Param.CertificateArn]: {
          label: 'ACM certificate ARN',
          parameter: {
            Type: 'String',
            Description: 'Optional: serve HTTPS with this certificate and redirect HTTP to HTTPS. Needs ServerDomainName and HostedZoneId.',
            Default: '',
            AllowedPattern: '^(arn:aws[a-z-]*:acm:[a-z0-9-]+:\\d{12}:certificate/[0-9a-f-]+)?$',
          },
        },
        [Param.ServerDomainName]: {
          label: 'Server domain name',
          parameter: {
            Type: 'String',
            Description: 'With a certificate: the name it covers; the stack points it at the load balancer in HostedZoneId.',
            Default: '',
            AllowedPattern: '^([a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+)?$',
          },
        },
        // A String, not AWS::Route53::HostedZone::Id: that type cannot be left empty.
        [Param.HostedZoneId]: {
          label: 'Route 53 hosted zone ID',
          parameter: {
            Type: 'String',
            Description: 'With a certificate: the Route 53 zone of ServerDomainName, public or private to this VPC; the stack creates the alias record that points the name at the load balancer.',
            Default: '',
            AllowedPattern: '^(Z[A-Z0-9]{1,32})?$',
            ConstraintDescription: 'must be empty or a Route 53 hosted zone ID such as Z0123456789ABCDEFGHIJ',
          },
        },
      },
    },
    {
      label: 'Server high availability',
      parameters: {
        // Strings with exact allowed forms, so the ServerReplicasAtMostMax Rule can compare them.
        [Param.ServerReplicas]: {
          label: 'Server replicas',
          parameter: {
            Type: 'String',
            Description: `1: one task runs the API, UI and background services. 2 to ${MAX_SERVER_REPLICAS}: high availability, that many API tasks at least (autoscaled up to ServerMaxReplicas), one background-services task, an ElastiCache for Valkey cache; needs an image with prefect-redis (the official prefecthq/prefect images have it).`,
            Default: '1',
            AllowedValues: Array.from({ length: MAX_SERVER_REPLICAS }, (_, i) => String(i + 1)),
          },
        },
        [Param.ServerMaxReplicas]: {
          label: 'Maximum API tasks',
          parameter: {
            Type: 'String',
            Description: `With ServerReplicas 2 or more: the most API tasks autoscaling runs (ServerReplicas to ${MAX_SERVER_MAX_REPLICAS}).`,
            Default: '4',
            AllowedPattern: `^([1-9]|1[0-9]|${MAX_SERVER_MAX_REPLICAS})$`,
            ConstraintDescription: `must be a whole number from 1 to ${MAX_SERVER_MAX_REPLICAS} without leading zeros`,
          },
        },
        [Param.ServerRequestsPerTask]: {
          label: 'Requests per API task (per minute)',
          parameter: {
            Type: 'Number',
            Description: 'With ServerReplicas 2 or more: the load balancer requests per API task per minute that autoscaling keeps to (ALBRequestCountPerTarget).',
            Default: 1000,
            MinValue: 10,
            MaxValue: 100000,
          },
        },
        [Param.CacheNodeType]: {
          label: 'Cache node type',
          parameter: { Type: 'String', Description: 'With ServerReplicas 2 or more: the ElastiCache for Valkey node type (a primary and a replica).', Default: CACHE_NODE_TYPES[0], AllowedValues: CACHE_NODE_TYPES },
        },
      },
    },
    {
      label: 'Database',
      parameters: {
        [Param.DbInstanceClass]: {
          label: 'Instance class',
          parameter: { Type: 'String', Description: 'RDS PostgreSQL instance class.', Default: 'db.t4g.micro', AllowedValues: DB_INSTANCE_CLASSES },
        },
        [Param.DbAllocatedStorage]: {
          label: 'Storage (GiB)',
          parameter: { Type: 'Number', Description: 'Encrypted gp3 storage.', Default: 20, MinValue: 20, MaxValue: 16384 },
        },
        [Param.DbBackupRetentionDays]: {
          label: 'Backup retention (days)',
          parameter: { Type: 'Number', Description: 'Automated backups kept this many days.', Default: 7, MinValue: 1, MaxValue: 35 },
        },
        // A default that depends on ServerReplicas: "auto" and the DatabaseMultiAz Condition.
        [Param.DbMultiAz]: {
          label: 'Multi-AZ',
          parameter: {
            Type: 'String',
            Description: 'A standby in a second zone (doubles the database cost): true, false, or auto (Multi-AZ when ServerReplicas is 2 or more). An update keeps the previous value unless you pass one: pass auto or true when you raise ServerReplicas to 2.',
            AllowedValues: ['auto', 'true', 'false'],
            Default: 'auto',
          },
        },
      },
    },
  ];
}
