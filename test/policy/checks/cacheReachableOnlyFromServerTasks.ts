import { referencedIds } from '../references';
import { serverServices } from '../serverTasks';
import type { CfnTemplate, Verdict } from '../types';

type Rule = { IpProtocol?: unknown; FromPort?: unknown; ToPort?: unknown; CidrIp?: unknown; CidrIpv6?: unknown; SourceSecurityGroupId?: unknown; SourcePrefixListId?: unknown };

/** Every security-group list of a resource (ECS services, Lambdas, caches, load balancers, endpoints). */
function groupLists(properties: unknown): unknown[] {
  if (Array.isArray(properties)) return properties.flatMap(groupLists);
  if (!properties || typeof properties !== 'object') return [];
  return Object.entries(properties).flatMap(([key, inner]) => (key === 'SecurityGroups' || key === 'SecurityGroupIds' || key === 'VPCSecurityGroups' ? [inner] : groupLists(inner)));
}

/**
 * An ElastiCache cache admits only the Prefect server tasks: it has security groups of its own
 * whose every ingress rule (inline or a separate SecurityGroupIngress) comes from a security
 * group that only ECS services running `prefect server` use, on the cache's port, and no CIDR
 * or prefix list. A group shared with anything else (a Lambda, the workers) would admit that too.
 */
export function cacheReachableOnlyFromServerTasks(template: CfnTemplate, resourceId: string): Verdict {
  const resource = template.Resources[resourceId];
  if (!resource?.Type.startsWith('AWS::ElastiCache::') || !['ReplicationGroup', 'CacheCluster', 'ServerlessCache'].some((t) => resource.Type.endsWith(t))) return 'N/A';
  const p = (resource.Properties ?? {}) as Record<string, unknown>;
  const groups = referencedIds(p.SecurityGroupIds ?? p.VpcSecurityGroupIds);
  if (groups.length === 0) return 'NON_COMPLIANT';
  const port = p.Port ?? 6379;
  const servers = new Set(serverServices(template));
  const usersOf = (group: string) =>
    Object.entries(template.Resources)
      .filter(([, r]) => groupLists(r.Properties).some((list) => referencedIds(list).includes(group)))
      .map(([id]) => id);
  const serverOnlyGroup = (source: unknown) => {
    const [group] = referencedIds(source);
    const users = group ? usersOf(group) : [];
    return users.length > 0 && users.every((id) => servers.has(id));
  };
  const ruleOk = (rule: Rule) =>
    rule.CidrIp === undefined && rule.CidrIpv6 === undefined && rule.SourcePrefixListId === undefined && serverOnlyGroup(rule.SourceSecurityGroupId) && rule.FromPort === port && rule.ToPort === port;
  for (const group of groups) {
    const sg = template.Resources[group];
    if (sg?.Type !== 'AWS::EC2::SecurityGroup') return 'UNRESOLVABLE';
    const inline = ((sg.Properties?.SecurityGroupIngress as Rule[]) ?? []);
    const separate = Object.values(template.Resources)
      .filter((r) => r.Type === 'AWS::EC2::SecurityGroupIngress' && referencedIds(r.Properties?.GroupId).includes(group))
      .map((r) => r.Properties as Rule);
    if (![...inline, ...separate].every(ruleOk)) return 'NON_COMPLIANT';
  }
  return 'COMPLIANT';
}
