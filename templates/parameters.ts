/**
 * Deploy-time parameters of the worker stack, the console form that presents them
 * (AWS::CloudFormation::Interface), the Rules that check combinations, and the Conditions the
 * other builders branch on. CloudFormation itself rejects bad values (AllowedValues,
 * AllowedPattern, Rules) before it creates anything.
 */
import { and, conditionRef, equals, not, or, ref, type TemplateFragment } from './cfn';
import { Cond, Param, type ParamId } from './ids';
import type { ResolvedWorkerStackOptions } from './options';
import { workerGroups, type Group } from './parameterGroups';
import { serverGroups } from './serverParameters';

export { AUTH_MODES, PREFECT_API_URL_PATTERN, SECRET_ARN_PATTERN } from './parameterGroups';
export type { Group, ParameterSpec } from './parameterGroups';

/** Which stack the parameters are for: the self-hosted stack makes its own API URL, credential and network. */
export type ParameterScope = 'worker' | 'server';

/** Parameters the server stack replaces with what it creates. */
const WORKER_STACK_ONLY: readonly ParamId[] = [
  Param.PrefectApiUrl,
  Param.PrefectAuthMode,
  Param.PrefectAuthSecretArn,
  Param.PrefectAuthValue,
  Param.VpcId,
  Param.SubnetIds,
  Param.AssignPublicIp,
];

function groups(o: ResolvedWorkerStackOptions, scope: ParameterScope): Group[] {
  const all = workerGroups(o);
  if (scope === 'worker') return all;
  const kept = all
    .map((g) => ({ ...g, parameters: Object.fromEntries(Object.entries(g.parameters).filter(([id]) => !WORKER_STACK_ONLY.includes(id as ParamId))) }))
    .filter((g) => Object.keys(g.parameters).length > 0);
  return [...serverGroups(o), ...kept];
}

/** Parameters, their Conditions and Rules. */
export function buildWorkerParameters(o: ResolvedWorkerStackOptions, scope: ParameterScope = 'worker'): TemplateFragment {
  const Parameters: NonNullable<TemplateFragment['Parameters']> = {};
  for (const group of groups(o, scope)) {
    for (const [id, spec] of Object.entries(group.parameters)) Parameters[id] = spec!.parameter;
  }
  const authMode = ref(Param.PrefectAuthMode);
  const secretArnGiven = not(equals(ref(Param.PrefectAuthSecretArn), ''));
  const valueGiven = not(equals(ref(Param.PrefectAuthValue), ''));
  const connectionConditions = {
    [Cond.HasAuth]: not(equals(authMode, 'none')),
    [Cond.CreateAuthSecret]: and(not(equals(authMode, 'none')), valueGiven),
    [Cond.UseExistingAuthSecret]: and(not(equals(authMode, 'none')), secretArnGiven),
    [Cond.UseApiKey]: equals(authMode, 'api-key'),
  };
  const connectionRules = {
    CredentialGivenOnce: {
      RuleCondition: not(equals(authMode, 'none')),
      Assertions: [
        {
          Assert: or(secretArnGiven, valueGiven),
          AssertDescription: 'With api-key or auth-string authentication, give PrefectAuthSecretArn or PrefectAuthValue.',
        },
        {
          Assert: not(and(secretArnGiven, valueGiven)),
          AssertDescription: 'Give either PrefectAuthSecretArn or PrefectAuthValue, not both.',
        },
      ],
    },
    NoCredentialWithoutAuth: {
      RuleCondition: equals(authMode, 'none'),
      Assertions: [
        {
          Assert: and(not(secretArnGiven), not(valueGiven)),
          AssertDescription: 'PrefectAuthMode is none: leave PrefectAuthSecretArn and PrefectAuthValue empty (or pick api-key/auth-string).',
        },
      ],
    },
  };
  return {
    Parameters,
    Conditions: {
      ...(scope === 'worker' ? connectionConditions : {}),
      [Cond.CreateCluster]: equals(ref(Param.ExistingClusterName), ''),
      [Cond.UseFargateSpot]: equals(ref(Param.UseFargateSpot), 'true'),
      [Cond.HasFlowRunPolicies]: not(equals(joinedFlowRunPolicyArns(), '')),
      [Cond.EnableWebhook]: equals(ref(Param.EnableWebhook), 'true'),
      [Cond.HasAlarmEmail]: not(equals(ref(Param.AlarmEmail), '')),
      [Cond.CreateEcrRepository]: not(equals(ref(Param.EcrRepositoryName), '')),
      [Cond.RegistrarEnabled]: or(not(equals({ 'Fn::Join': ['', ref(Param.WatchedRepositories)] }, '')), conditionRef(Cond.CreateEcrRepository)),
    },
    Rules: {
      ...(o.manifest ? {} : registrarNeedsManifest()),
      ...(scope === 'worker' ? connectionRules : {}),
    },
  };
}

/** Without a manifest stored in the stack, watching repositories needs the SSM parameter that holds one. */
function registrarNeedsManifest() {
  return {
    RegistrarNeedsManifest: {
      RuleCondition: or(not(equals({ 'Fn::Join': ['', ref(Param.WatchedRepositories)] }, '')), not(equals(ref(Param.EcrRepositoryName), ''))),
      Assertions: [
        {
          Assert: not(equals(ref(Param.ManifestParameterName), '')),
          AssertDescription:
            'The registrar is on (WatchedRepositories or EcrRepositoryName is set): give ManifestParameterName, the SSM parameter that holds your prefect.yaml with ecr_triggers.',
        },
      ],
    },
  };
}

/** `Fn::Join` of the list gives "" exactly when the CommaDelimitedList parameter is empty. */
function joinedFlowRunPolicyArns() {
  return { 'Fn::Join': ['', ref(Param.FlowRunManagedPolicyArns)] };
}

/** The console form: parameter groups in the order above, with labels. */
export function buildWorkerInterface(o: ResolvedWorkerStackOptions, scope: ParameterScope = 'worker'): Record<string, unknown> {
  const all = groups(o, scope);
  return {
    'AWS::CloudFormation::Interface': {
      ParameterGroups: all.map((g) => ({ Label: { default: g.label }, Parameters: Object.keys(g.parameters) })),
      ParameterLabels: Object.fromEntries(
        all.flatMap((g) => Object.entries(g.parameters).map(([id, spec]) => [id, { default: spec!.label }])),
      ),
    },
  };
}
