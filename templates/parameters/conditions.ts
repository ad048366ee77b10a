/**
 * The Conditions the builders branch on, derived from the parameters. The credential's
 * conditions exist only where the parameters carry the credential (the worker stack).
 */
import { and, conditionRef, equals, isEmpty, not, or, ref } from '../core/cfn';
import { Cond, Param } from '../core/ids';
import type { TemplateFragment } from '../core/template';

/** Which credential the stack has: none, one it creates from the NoEcho value, or an existing secret. */
export function connectionConditions(): NonNullable<TemplateFragment['Conditions']> {
  const authMode = ref(Param.PrefectAuthMode);
  return {
    [Cond.HasAuth]: not(equals(authMode, 'none')),
    [Cond.CreateAuthSecret]: and(not(equals(authMode, 'none')), not(equals(ref(Param.PrefectAuthValue), ''))),
    [Cond.UseExistingAuthSecret]: and(not(equals(authMode, 'none')), not(equals(ref(Param.PrefectAuthSecretArn), ''))),
    [Cond.UseApiKey]: equals(authMode, 'api-key'),
  };
}

export function workerConditions(): NonNullable<TemplateFragment['Conditions']> {
  return {
    [Cond.CreateCluster]: equals(ref(Param.ExistingClusterName), ''),
    [Cond.UseFargateSpot]: equals(ref(Param.UseFargateSpot), 'true'),
    [Cond.HasFlowRunPolicies]: not(isEmpty(Param.FlowRunManagedPolicyArns)),
    [Cond.EnableWebhook]: equals(ref(Param.EnableWebhook), 'true'),
    [Cond.HasAlarmEmail]: not(equals(ref(Param.AlarmEmail), '')),
    [Cond.CreateEcrRepository]: not(equals(ref(Param.EcrRepositoryName), '')),
    [Cond.RegistrarEnabled]: or(not(isEmpty(Param.WatchedRepositories)), conditionRef(Cond.CreateEcrRepository)),
  };
}
