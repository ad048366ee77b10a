import { resourceText } from '../references';
import { actionsOf, resourcesOf, type PolicyStatement, type Verdict } from '../types';

/** `iam:PassRole` names its roles (no "*") and carries an `iam:PassedToService` condition. */
export function passRoleNamesRolesForEcsTasks(statement: PolicyStatement): Verdict {
  if (statement.Effect !== 'Allow' || !actionsOf(statement).some((a) => a === 'iam:PassRole' || a === 'iam:*')) return 'N/A';
  const resources = resourcesOf(statement);
  const namesRoles = resources.length > 0 && resources.every((r) => !/(^\*$|:role\/\*$|\/\*$)/.test(resourceText(r) ?? ''));
  const passedTo = statement.Condition?.StringEquals?.['iam:PassedToService'] ?? statement.Condition?.StringLike?.['iam:PassedToService'];
  return namesRoles && passedTo !== undefined ? 'COMPLIANT' : 'NON_COMPLIANT';
}
