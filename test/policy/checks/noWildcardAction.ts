import { actionsOf, type PolicyStatement, type Verdict } from '../types';

/** No `Action: "*"` and no whole-service wildcard (`"s3:*"`) in an Allow statement. */
export function noWildcardAction(statement: PolicyStatement): Verdict {
  if (statement.Effect !== 'Allow') return 'N/A';
  const actions = actionsOf(statement);
  if (actions.some((action) => typeof action !== 'string')) return 'UNRESOLVABLE';
  return actions.some((action) => action === '*' || action.endsWith(':*')) ? 'NON_COMPLIANT' : 'COMPLIANT';
}
