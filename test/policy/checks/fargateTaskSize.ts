import { FARGATE_SIZES } from '../../../templates/core/constants';
import type { CfnTemplate, Verdict } from '../types';

/** `Fn::Select [index, Fn::Split ["/", Ref P]]`: the parameter P and the index, or undefined. */
function sizeParameterPart(value: unknown): { parameter: string; index: number } | undefined {
  const select = (value as { 'Fn::Select'?: [unknown, unknown] })?.['Fn::Select'];
  const split = (select?.[1] as { 'Fn::Split'?: [unknown, { Ref?: unknown }] })?.['Fn::Split'];
  if (!select || !split || split[0] !== '/' || typeof split[1]?.Ref !== 'string') return undefined;
  return { parameter: split[1].Ref, index: Number(select[0]) };
}

/**
 * A task definition that requires FARGATE has task-level Cpu and Memory from one valid pair
 * (https://docs.aws.amazon.com/AmazonECS/latest/userguide/task-cpu-memory-error.html): literals
 * that form a pair of FARGATE_SIZES, or the two halves of one "cpu/memory" parameter whose
 * allowed values are all valid pairs. Anything else cannot be judged and says so.
 */
export function fargateTaskSize(template: CfnTemplate, resourceId: string): Verdict {
  const resource = template.Resources[resourceId];
  const props = resource?.Properties ?? {};
  if (resource?.Type !== 'AWS::ECS::TaskDefinition' || !JSON.stringify(props.RequiresCompatibilities ?? []).includes('FARGATE')) return 'N/A';
  const { Cpu: cpu, Memory: memory } = props;
  if (cpu === undefined || memory === undefined) return 'NON_COMPLIANT';
  if (typeof cpu !== 'object' && typeof memory !== 'object') return FARGATE_SIZES.includes(`${cpu}/${memory}`) ? 'COMPLIANT' : 'NON_COMPLIANT';
  const [c, m] = [sizeParameterPart(cpu), sizeParameterPart(memory)];
  if (!c || !m) return 'UNRESOLVABLE';
  const allowed = template.Parameters?.[c.parameter]?.AllowedValues;
  const fromOnePair = c.parameter === m.parameter && c.index === 0 && m.index === 1;
  return fromOnePair && Array.isArray(allowed) && allowed.length > 0 && allowed.every((v) => FARGATE_SIZES.includes(String(v))) ? 'COMPLIANT' : 'NON_COMPLIANT';
}
