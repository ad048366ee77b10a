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
} as const;
export type CheckName = keyof typeof EXPLANATIONS;
