/**
 * moto's CloudFormation lacks some resource types (MOTO_GAPS names each, with why). Rather than
 * skip the stack test, remove exactly those resources, the DependsOn entries and the outputs
 * that name them, and say what was removed: the test asserts that list, so a new gap cannot hide.
 */
export const MOTO_GAPS: readonly { readonly matches: (type: string) => boolean; readonly why: string }[] = [
  { matches: (type) => type === 'AWS::Lambda::Url', why: 'moto 5.2 CloudFormation has no Lambda function URL resource' },
  { matches: (type) => type.startsWith('Custom::'), why: 'moto runs custom-resource Lambdas in Docker, which no machine here has' },
];
// moto 5.2's update-stack re-creates or updates a resource only when its JSON changed or a
// parameter it names with Ref changed (moto/cloudformation/parsing.py build_resource_diff): a
// parameter that flips a Condition (ServerReplicas 1 -> 2) neither removes the resources the
// Condition drops nor updates those that change only through Fn::If. The move between the
// server's modes is therefore not testable here; test/templates/serverHighAvailability.test.ts
// reads both modes from the template instead.
// moto 5.2 also lacks Fn::Cidr: it is computed here from the parameter defaults (tested in test/templates/cidr.test.ts).
// And it names a FIFO queue without the ".fifo" suffix CloudFormation gives generated FIFO queue
// names (cloudtools/troposphere#931, localstack/localstack#5700), which SQS then refuses: such
// queues get an explicit name here.

type Resource = { Type: string; DependsOn?: string | string[] };
type Template = { Parameters?: Record<string, { Default?: unknown }>; Resources: Record<string, Resource>; Outputs?: Record<string, { Value: unknown }> };

/** Fn::Cidr as CloudFormation computes it, for IPv4 (moto 5.2 does not implement it). */
export function cidrs(block: string, count: number, hostBits: number): string[] {
  const [address, prefix] = block.split('/');
  const base = address!.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
  const size = 2 ** hostBits;
  if (32 - hostBits < Number(prefix)) throw new Error(`Fn::Cidr: /${32 - hostBits} subnets do not fit in ${block}`);
  return Array.from({ length: count }, (_, i) => {
    const n = base + i * size;
    return `${[24, 16, 8, 0].map((shift) => (n >>> shift) & 255).join('.')}/${32 - hostBits}`;
  });
}

/** Attributes moto cannot return, with the stand-in value the test uses. */
export const MOTO_MISSING_ATTRIBUTES: Readonly<Record<string, string>> = {
  'MasterUserSecret.SecretArn': 'arn:aws:secretsmanager:us-east-1:123456789012:secret:rds-master-user-moto',
  // The ElastiCache replication group is one of MOTO_IGNORED_TYPES: nothing answers GetAtt.
  'PrimaryEndPoint.Address': 'prefect-cache.moto.ng.0001.use1.cache.amazonaws.com',
  'PrimaryEndPoint.Port': '6379',
};

/**
 * Types moto 5.2's CloudFormation skips without an error: it logs "No Moto CloudFormation
 * support for <type>", creates nothing, lists no stack resource, and evaluates none of their
 * properties (moto/cloudformation/parsing.py resource_class_from_type, parse_resource). The
 * high-availability stack test asserts that of the resources ServerReplicas=2 adds exactly these
 * types are missing, so nothing else goes unnoticed.
 */
export const MOTO_IGNORED_TYPES: readonly { readonly type: string; readonly why: string }[] = [
  { type: 'AWS::SecretsManager::Secret', why: 'moto 5.2 CloudFormation has no Secrets Manager model (the secrets and their dynamic references go unchecked)' },
  { type: 'AWS::ElastiCache::ReplicationGroup', why: 'no ElastiCache model in moto 5.2 CloudFormation (TLS, AUTH token, failover go unchecked)' },
  { type: 'AWS::ElastiCache::SubnetGroup', why: 'no ElastiCache model in moto 5.2 CloudFormation' },
  { type: 'AWS::ApplicationAutoScaling::ScalableTarget', why: 'no Application Auto Scaling model in moto 5.2 CloudFormation (the API service keeps the one task ECS starts)' },
  { type: 'AWS::ApplicationAutoScaling::ScalingPolicy', why: 'no Application Auto Scaling model in moto 5.2 CloudFormation' },
  { type: 'AWS::CloudWatch::Alarm', why: 'moto 5.2 CloudFormation models only the dashboard of CloudWatch (moto/cloudwatch/models.py cloudformation_type); every alarm of the stacks goes unlisted' },
];

/** Replaces Fn::Cidr of a parameter (at its default) by its literal result, and attributes moto lacks. */
function resolveCidrs(value: unknown, defaults: Record<string, unknown>): unknown {
  if (Array.isArray(value)) return value.map((v) => resolveCidrs(v, defaults));
  if (value && typeof value === 'object') {
    const getAtt = (value as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt'];
    if (getAtt && getAtt[1] in MOTO_MISSING_ATTRIBUTES) return MOTO_MISSING_ATTRIBUTES[getAtt[1]];
    const cidr = (value as { 'Fn::Cidr'?: [{ Ref: string } | string, number, number] })['Fn::Cidr'];
    if (cidr) {
      const [block, count, bits] = cidr;
      return cidrs(typeof block === 'string' ? block : String(defaults[block.Ref]), Number(count), Number(bits));
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveCidrs(v, defaults)]));
  }
  return value;
}

export function withoutMotoGaps(template: Template): { template: Template; removed: string[] } {
  const defaults = Object.fromEntries(Object.entries(template.Parameters ?? {}).map(([name, p]) => [name, p.Default]));
  const copy = resolveCidrs(JSON.parse(JSON.stringify(template)), defaults) as Template;
  const removed = Object.entries(copy.Resources)
    .filter(([, r]) => MOTO_GAPS.some((gap) => gap.matches(r.Type)))
    .map(([id]) => id);
  for (const id of removed) delete copy.Resources[id];
  for (const [id, resource] of Object.entries(copy.Resources) as [string, Resource & { Properties?: Record<string, unknown> }][]) {
    if (resource.Type === 'AWS::SQS::Queue' && resource.Properties?.FifoQueue === true && !resource.Properties.QueueName) {
      resource.Properties.QueueName = { 'Fn::Sub': `\${AWS::StackName}-${id}.fifo` };
    }
  }
  for (const resource of Object.values(copy.Resources)) {
    if (resource.DependsOn === undefined) continue;
    const kept = [resource.DependsOn].flat().filter((id) => !removed.includes(id));
    if (kept.length === 0) delete resource.DependsOn;
    else resource.DependsOn = kept;
  }
  for (const [name, output] of Object.entries(copy.Outputs ?? {})) {
    const text = JSON.stringify(output.Value);
    if (removed.some((id) => text.includes(`"${id}"`) || text.includes(`"${id}.`))) {
      delete copy.Outputs![name];
      removed.push(`Outputs.${name}`);
    }
  }
  return { template: copy, removed };
}
