/** Runs every policy check over a template and returns what is not compliant, explained. */
import { cacheEncryptedWithAuth } from './checks/cacheEncryptedWithAuth';
import { cacheReachableOnlyFromServerTasks } from './checks/cacheReachableOnlyFromServerTasks';
import { ecsTaskActionsConditionedOnCluster } from './checks/ecsTaskActionsConditionedOnCluster';
import { fargateTaskSize } from './checks/fargateTaskSize';
import { kmsKeysAdmitServicePublishers } from './checks/kmsKeysAdmitServicePublishers';
import { migrationsRunOnce } from './checks/migrationsRunOnce';
import { rulesUseOnlyRuleFunctions } from './checks/rulesUseOnlyRuleFunctions';
import { noSecretInEnvironment } from './checks/noSecretInEnvironment';
import { noSecretInOutputs } from './checks/noSecretInOutputs';
import { noWildcardAction } from './checks/noWildcardAction';
import { passRoleNamesRolesForEcsTasks } from './checks/passRoleNamesRolesForEcsTasks';
import { secretParametersAreNoEcho } from './checks/secretParametersAreNoEcho';
import { wildcardResourceOnlyForUnscopedActions } from './checks/wildcardResourceOnlyForUnscopedActions';
import { EXPLANATIONS, type CheckName } from './explanations';
import { iamStatements } from './statements';
import type { CfnTemplate, Verdict } from './types';

export interface PolicyFinding {
  readonly check: CheckName;
  readonly subject: string;
  readonly verdict: Verdict;
  readonly explanation: string;
}

const STATEMENT_CHECKS = { noWildcardAction, wildcardResourceOnlyForUnscopedActions, passRoleNamesRolesForEcsTasks, ecsTaskActionsConditionedOnCluster };

/** Every verdict, for every subject each check applies to. */
export function evaluatePolicies(template: CfnTemplate): PolicyFinding[] {
  const results: PolicyFinding[] = [];
  const record = (check: CheckName, subject: string, verdict: Verdict) =>
    results.push({ check, subject, verdict, explanation: EXPLANATIONS[check] });
  for (const located of iamStatements(template)) {
    for (const [name, check] of Object.entries(STATEMENT_CHECKS)) {
      record(name as CheckName, `${located.resource}.${located.path}`, check(located.statement));
    }
  }
  for (const parameter of Object.keys(template.Parameters ?? {})) {
    record('secretParametersAreNoEcho', `Parameters.${parameter}`, secretParametersAreNoEcho(template, parameter));
  }
  for (const resource of Object.keys(template.Resources)) {
    record('noSecretInEnvironment', `Resources.${resource}`, noSecretInEnvironment(template, resource));
    record('fargateTaskSize', `Resources.${resource}`, fargateTaskSize(template, resource));
    record('kmsKeysAdmitServicePublishers', `Resources.${resource}`, kmsKeysAdmitServicePublishers(template, resource));
    record('cacheEncryptedWithAuth', `Resources.${resource}`, cacheEncryptedWithAuth(template, resource));
    record('cacheReachableOnlyFromServerTasks', `Resources.${resource}`, cacheReachableOnlyFromServerTasks(template, resource));
  }
  record('migrationsRunOnce', 'Template', migrationsRunOnce(template));
  for (const rule of Object.keys(template.Rules ?? {})) {
    record('rulesUseOnlyRuleFunctions', `Rules.${rule}`, rulesUseOnlyRuleFunctions(template, rule));
  }
  for (const output of Object.keys(template.Outputs ?? {})) {
    record('noSecretInOutputs', `Outputs.${output}`, noSecretInOutputs(template, output));
  }
  return results;
}

export const failures = (findings: PolicyFinding[]) => findings.filter((f) => f.verdict === 'NON_COMPLIANT' || f.verdict === 'UNRESOLVABLE');
