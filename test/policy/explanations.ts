/** Why each check exists (README.md's "Security model"). */
export const EXPLANATIONS = {
  noWildcardAction: 'An Allow statement grants "*" or a whole service; name the actions.',
  wildcardResourceOnlyForUnscopedActions:
    'Resource "*" is only for actions AWS cannot scope, listed with reasons in templates/worker/iamUnscopedActions.ts.',
  passRoleNamesRolesForEcsTasks: 'iam:PassRole must name its roles and carry an iam:PassedToService condition.',
  ecsTaskActionsConditionedOnCluster: 'ecs:RunTask/StopTask/DescribeTasks/ListTasks must carry an ecs:cluster condition.',
  secretParametersAreNoEcho: 'A parameter that feeds a secret must be NoEcho.',
  noSecretInEnvironment: 'A secret must reach a container through "Secrets", never "Environment".',
  noSecretInOutputs: 'An output must not reveal a NoEcho parameter or a secret value.',
  fargateTaskSize: 'A FARGATE task definition needs task-level Cpu and Memory from one valid Fargate pair (defect 1 of issue 9).',
  rulesUseOnlyRuleFunctions: 'Rules may use only Ref and the rule functions; CloudFormation refuses Fn::Join and the like there (defect 2 of issue 9).',
  kmsKeysAdmitServicePublishers:
    'A KMS-encrypted topic or queue that EventBridge or CloudWatch delivers to needs a customer managed key whose policy admits that service (defect 3 of issue 9).',
  cacheEncryptedWithAuth: 'An ElastiCache cache is encrypted in transit (TLS required) and at rest, and needs an AUTH token from Secrets Manager or RBAC (issue 14).',
  cacheReachableOnlyFromServerTasks: 'An ElastiCache cache admits only security groups that only the Prefect server services use, on its port (issue 14).',
  migrationsRunOnce:
    'Exactly one process migrates the Prefect database, under every parameter combination: Prefect\'s migrations take no cross-process lock (issue 14).',
} as const;
export type CheckName = keyof typeof EXPLANATIONS;
