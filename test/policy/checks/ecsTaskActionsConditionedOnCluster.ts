import { actionsOf, type PolicyStatement, type Verdict } from '../types';

const CLUSTER_SCOPED = ['ecs:RunTask', 'ecs:StopTask', 'ecs:DescribeTasks', 'ecs:ListTasks'];

/** `ecs:RunTask`, `StopTask`, `DescribeTasks` and `ListTasks` carry an `ecs:cluster` condition. */
export function ecsTaskActionsConditionedOnCluster(statement: PolicyStatement): Verdict {
  if (statement.Effect !== 'Allow' || !actionsOf(statement).some((a) => CLUSTER_SCOPED.includes(a))) return 'N/A';
  const condition = statement.Condition ?? {};
  const onCluster = ['ArnEquals', 'ArnLike', 'StringEquals'].some((op) => condition[op]?.['ecs:cluster'] !== undefined);
  return onCluster ? 'COMPLIANT' : 'NON_COMPLIANT';
}
