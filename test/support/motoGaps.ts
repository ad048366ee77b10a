/**
 * moto's CloudFormation lacks some resource types (DESIGN.md lists its known gaps). Rather than
 * skip the stack test, remove exactly those resources, and the outputs that read them, and say
 * what was removed: the test asserts that list, so a new gap cannot hide.
 */
export const MOTO_UNSUPPORTED_TYPES: Readonly<Record<string, string>> = {
  'AWS::Lambda::Url': 'moto 5.2 CloudFormation has no Lambda function URL resource',
};

type Template = { Resources: Record<string, { Type: string }>; Outputs?: Record<string, { Value: unknown }> };

export function withoutMotoGaps(template: Template): { template: Template; removed: string[] } {
  const copy = JSON.parse(JSON.stringify(template)) as Template;
  const removed = Object.entries(copy.Resources)
    .filter(([, r]) => r.Type in MOTO_UNSUPPORTED_TYPES)
    .map(([id]) => id);
  for (const id of removed) delete copy.Resources[id];
  for (const [name, output] of Object.entries(copy.Outputs ?? {})) {
    const text = JSON.stringify(output.Value);
    if (removed.some((id) => text.includes(`"${id}"`))) {
      delete copy.Outputs![name];
      removed.push(`Outputs.${name}`);
    }
  }
  return { template: copy, removed };
}
