import { containsDynamicSecretReference } from '../references';
import type { CfnTemplate, Verdict } from '../types';

/**
 * A Redis-compatible ElastiCache cache is encrypted in transit with TLS required (mode
 * "preferred" still admits plaintext clients), encrypted at rest, and needs authentication: an
 * AUTH token from a Secrets Manager dynamic reference (never a literal) or RBAC user groups.
 * Node-based: a replication group ("AuthToken can be specified only on replication groups where
 * TransitEncryptionEnabled is true", https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CreateReplicationGroup.html);
 * a bare CacheCluster cannot have both kinds of encryption and is not compliant. Serverless caches
 * are always encrypted and authenticate through a user group
 * (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/auth.html).
 */
export function cacheEncryptedWithAuth(template: CfnTemplate, resourceId: string): Verdict {
  const resource = template.Resources[resourceId];
  const p = (resource?.Properties ?? {}) as Record<string, unknown>;
  switch (resource?.Type) {
    case 'AWS::ElastiCache::CacheCluster':
      return p.Engine === 'memcached' ? 'N/A' : 'NON_COMPLIANT';
    case 'AWS::ElastiCache::ServerlessCache':
      return p.UserGroupId === undefined ? 'NON_COMPLIANT' : 'COMPLIANT';
    case 'AWS::ElastiCache::ReplicationGroup': {
      const flags = [p.TransitEncryptionEnabled, p.AtRestEncryptionEnabled];
      if (flags.some((f) => f !== undefined && typeof f !== 'boolean')) return 'UNRESOLVABLE';
      if (flags.some((f) => f !== true)) return 'NON_COMPLIANT';
      if (p.TransitEncryptionMode !== undefined && p.TransitEncryptionMode !== 'required') return typeof p.TransitEncryptionMode === 'string' ? 'NON_COMPLIANT' : 'UNRESOLVABLE';
      const tokenFromSecret = p.AuthToken !== undefined && typeof p.AuthToken !== 'string' && containsDynamicSecretReference(p.AuthToken);
      const userGroups = Array.isArray(p.UserGroupIds) && p.UserGroupIds.length > 0;
      return tokenFromSecret || userGroups ? 'COMPLIANT' : 'NON_COMPLIANT';
    }
    default:
      return 'N/A';
  }
}
