/**
 * The Redis that several Prefect server processes share (ServerReplicas >= 2): ElastiCache for
 * Valkey, a node-based replication group with cluster mode disabled, one primary and one replica
 * in two zones with automatic failover, encrypted in transit (TLS required) and at rest, with an
 * AUTH token, in the private subnets, reachable only from the server tasks.
 *
 * Why not ElastiCache Serverless (cheaper at idle, about $6 a month for Valkey's 100 MB minimum
 * plus requests): "ElastiCache serverless is only available in a cluster-mode enabled
 * configuration" (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/WorkingWithRedis.html),
 * and prefect-redis at Prefect 3.6.28 supports only a standalone Redis: its lease-storage and
 * causal-ordering scripts touch several keys without a common hash tag
 * (3.6.28:src/integrations/prefect-redis/prefect_redis/lease_storage.py:33-73, ordering.py:60-153),
 * which a cluster refuses with CROSSSLOT, and cluster mode has no SELECT for the separate Docket
 * database. Cluster support began in prefect-redis 0.2.13, which needs Prefect 3.7.4
 * (PrefectHQ/prefect#19939, #22211).
 *
 * Failover: "The role of primary node will automatically fail over to one of the read replicas
 * ... ElastiCache also propagates the Domain Name Service (DNS) name of the promoted replica"
 * (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/AutoFailover.html); Prefect connects to
 * the primary endpoint and reconnects. Replication is asynchronous, so a failover may lose the
 * last messages in flight; PostgreSQL stays the system of record.
 */
import { EC2, ElastiCache, SecretsManager } from 'cloudform';
import { keepOnDeleteAndReplace, ref, sub } from '../core/cfn';
import { Cond, Param, Res } from '../core/ids';
import type { TemplateFragment } from '../core/template';
import { CACHE_PORT, VALKEY_VERSION } from './constants';
import { privateSubnetsValue, vpcIdValue } from './vpc';

const ha = <T extends { condition(c: string): T }>(resource: T) => resource.condition(Cond.HighAvailability);

export function buildCache(): TemplateFragment {
  return {
    Resources: {
      // "Tokens ... must be 16–128 printable characters. Nonalphanumeric characters are restricted
      // to (!, &, #, $, ^, <, >, -)" (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/auth.html):
      // letters and digits only, so the token also goes into a redis URL unescaped (containers.ts).
      // Deleted with the cache it opens.
      [Res.CacheAuthSecret]: ha(
        keepOnDeleteAndReplace(
          new SecretsManager.Secret({
            Description: sub('AUTH token of the Prefect server cache of ${AWS::StackName}'),
            GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true },
          }),
          'Delete',
        ),
      ),
      [Res.CacheSubnetGroup]: ha(
        new ElastiCache.SubnetGroup({ Description: sub('Private subnets of the ${AWS::StackName} Prefect cache'), SubnetIds: privateSubnetsValue() as never }),
      ),
      // No egress at all: a cache answers, it does not call out.
      [Res.CacheSecurityGroup]: ha(
        new EC2.SecurityGroup({
          GroupDescription: 'Prefect cache (Valkey)',
          VpcId: vpcIdValue(),
          SecurityGroupEgress: [{ IpProtocol: '-1', CidrIp: '127.0.0.1/32', Description: 'no outbound traffic' }],
        }),
      ),
      [Res.CacheIngressFromServer]: ha(
        new EC2.SecurityGroupIngress({
          GroupId: ref(Res.CacheSecurityGroup),
          IpProtocol: 'tcp',
          FromPort: CACHE_PORT,
          ToPort: CACHE_PORT,
          SourceSecurityGroupId: ref(Res.ServerSecurityGroup),
          Description: 'only the Prefect server tasks reach the cache',
        }),
      ),
      // Its data is transient (messages, leases, Docket's schedule): PostgreSQL holds Prefect's
      // state, so the cache is deleted with the stack and not snapshotted.
      [Res.Cache]: ha(
        keepOnDeleteAndReplace(
          new ElastiCache.ReplicationGroup({
            ReplicationGroupDescription: sub('Prefect server messaging, leases and Docket of ${AWS::StackName}'),
            Engine: 'valkey',
            EngineVersion: VALKEY_VERSION,
            AutoMinorVersionUpgrade: true,
            CacheNodeType: ref(Param.CacheNodeType),
            // A primary and a replica, in different zones, the replica promoted automatically.
            NumCacheClusters: 2,
            AutomaticFailoverEnabled: true,
            MultiAZEnabled: true,
            Port: CACHE_PORT,
            // TLS only. No TransitEncryptionMode: it is for migrating an existing group to TLS ("you
            // can set your TransitEncryptionMode to preferred in the same request, to allow both
            // encrypted and unencrypted connections ... Setting TransitEncryptionMode to required is a
            // two-step process", https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CreateReplicationGroup.html);
            // a group created with TransitEncryptionEnabled alone requires TLS (reported in
            // hashicorp/terraform-cdk#3259). [VERIFY on a first deploy: describe-replication-groups
            // shows TransitEncryptionMode "required".]
            TransitEncryptionEnabled: true,
            AtRestEncryptionEnabled: true,
            // "AuthToken can be specified only on replication groups where TransitEncryptionEnabled is true"
            // (https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CreateReplicationGroup.html);
            // a dynamic reference keeps the token out of the template
            // (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/dynamic-references-secretsmanager.html).
            AuthToken: sub('{{resolve:secretsmanager:${CacheAuthSecret}}}'),
            CacheSubnetGroupName: ref(Res.CacheSubnetGroup),
            SecurityGroupIds: [ref(Res.CacheSecurityGroup)],
          }),
          'Delete',
        ),
      ),
    },
  };
}
