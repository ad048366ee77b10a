import { secretParameters } from '../secretParameters';
import type { CfnTemplate, Verdict } from '../types';

/** A parameter that feeds a secret, or is named like a credential, is NoEcho. */
export function secretParametersAreNoEcho(template: CfnTemplate, parameter: string): Verdict {
  const definition = template.Parameters?.[parameter];
  if (!definition || !secretParameters(template).has(parameter)) return 'N/A';
  return definition.NoEcho === true ? 'COMPLIANT' : 'NON_COMPLIANT';
}
