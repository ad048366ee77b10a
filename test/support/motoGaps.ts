/**
 * moto's CloudFormation lacks some resource types (DESIGN.md lists its known gaps). Rather than
 * skip the stack test, remove exactly those resources, the DependsOn entries and the outputs
 * that name them, and say what was removed: the test asserts that list, so a new gap cannot hide.
 */
export const MOTO_GAPS: readonly { readonly matches: (type: string) => boolean; readonly why: string }[] = [
  { matches: (type) => type === 'AWS::Lambda::Url', why: 'moto 5.2 CloudFormation has no Lambda function URL resource' },
  { matches: (type) => type.startsWith('Custom::'), why: 'moto runs custom-resource Lambdas in Docker, which no machine here has' },
];

type Resource = { Type: string; DependsOn?: string | string[] };
type Template = { Resources: Record<string, Resource>; Outputs?: Record<string, { Value: unknown }> };

export function withoutMotoGaps(template: Template): { template: Template; removed: string[] } {
  const copy = JSON.parse(JSON.stringify(template)) as Template;
  const removed = Object.entries(copy.Resources)
    .filter(([, r]) => MOTO_GAPS.some((gap) => gap.matches(r.Type)))
    .map(([id]) => id);
  for (const id of removed) delete copy.Resources[id];
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
