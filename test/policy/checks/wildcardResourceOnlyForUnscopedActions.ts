import { UNSCOPED_ACTIONS } from '../../../templates/worker/iamUnscopedActions';
import { actionsOf, resourcesOf, type PolicyStatement, type Verdict } from '../types';

/** `Resource: "*"` only for the actions of the one documented allow-list. */
export function wildcardResourceOnlyForUnscopedActions(statement: PolicyStatement): Verdict {
  if (statement.Effect !== 'Allow') return 'N/A';
  if (!resourcesOf(statement).includes('*')) return 'N/A';
  return actionsOf(statement).every((action) => action in UNSCOPED_ACTIONS) ? 'COMPLIANT' : 'NON_COMPLIANT';
}
