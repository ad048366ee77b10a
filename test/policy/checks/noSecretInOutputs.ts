import { containsDynamicSecretReference, referencedNames } from '../references';
import { secretParameters } from '../secretParameters';
import type { CfnTemplate, Verdict } from '../types';

/** No output reveals a secret parameter or resolves a secret's value. */
export function noSecretInOutputs(template: CfnTemplate, output: string): Verdict {
  const value = template.Outputs?.[output]?.Value;
  if (value === undefined) return 'N/A';
  const names = [...referencedNames(value)];
  const secrets = secretParameters(template);
  return containsDynamicSecretReference(value) || names.some((n) => secrets.has(n)) ? 'NON_COMPLIANT' : 'COMPLIANT';
}
