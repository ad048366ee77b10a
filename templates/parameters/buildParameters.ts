/**
 * Deploy-time parameters of a published stack, the console form that presents them
 * (AWS::CloudFormation::Interface), the Rules that check combinations, and the Conditions the
 * other builders branch on. CloudFormation itself rejects bad values (AllowedValues,
 * AllowedPattern, Rules) before it creates anything.
 */
import { Param, type ParamId } from '../core/ids';
import type { TemplateFragment } from '../core/template';
import { connectionConditions, workerConditions } from './conditions';
import { connectionGroups } from './connectionGroups';
import type { ResolvedWorkerStackOptions } from './options';
import { connectionRules, manifestWorkPool, registrarNeedsManifest, scalingRules, serverRules } from './rules';
import { serverGroups } from './serverGroups';
import type { Group } from './types';
import { workerGroups } from './workerGroups';

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

/**
 * The server stack's groups first; a worker group of the same label (Network, which keeps only
 * ExistingClusterName there) joins it instead of standing alone with what is left of it.
 */
function groups(o: ResolvedWorkerStackOptions, scope: ParameterScope): Group[] {
  const all = [...connectionGroups(o), ...workerGroups(o)];
  if (scope === 'worker') return all;
  const kept = all
    .map((g) => ({ ...g, parameters: Object.fromEntries(Object.entries(g.parameters).filter(([id]) => !WORKER_STACK_ONLY.includes(id as ParamId))) }))
    .filter((g) => Object.keys(g.parameters).length > 0);
  const server = serverGroups(o);
  const joined = server.map((g) => ({ ...g, parameters: { ...g.parameters, ...kept.find((k) => k.label === g.label)?.parameters } }));
  return [...joined, ...kept.filter((k) => !server.some((g) => g.label === k.label))];
}

/** Parameters, their Conditions and Rules. */
export function buildParameters(o: ResolvedWorkerStackOptions, scope: ParameterScope = 'worker'): TemplateFragment {
  const Parameters: NonNullable<TemplateFragment['Parameters']> = {};
  for (const group of groups(o, scope)) {
    for (const [id, spec] of Object.entries(group.parameters)) Parameters[id as ParamId] = spec!.parameter;
  }
  return {
    Parameters,
    Conditions: { ...(scope === 'worker' ? connectionConditions() : {}), ...workerConditions() },
    Rules: {
      ...(o.manifest ? {} : registrarNeedsManifest()),
      ...(o.manifest?.workPool ? manifestWorkPool(o.manifest.workPool) : {}),
      ...scalingRules(),
      ...(scope === 'worker' ? connectionRules() : serverRules()),
    },
  };
}

/** The console form: parameter groups in the order above, with labels. */
export function buildParameterInterface(o: ResolvedWorkerStackOptions, scope: ParameterScope = 'worker'): Record<string, unknown> {
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
