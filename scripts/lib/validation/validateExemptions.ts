/**
 * Every AWS CloudFormation Validate warning this project accepts, per logical ID, with the
 * reason. FATAL and ERROR findings cannot be exempted: they fail validation. A warning not listed
 * here fails validation, and so does an entry that no longer matches anything in any template
 * and parameter combination (the list cannot silently rot).
 */
import type { Exemption } from './guardExemptions';

/** An exemption of an engine rule ID (cfn-lint numbering, e.g. "W1030"). */
export type ValidateExemption = Exemption;

export const VALIDATE_EXEMPTIONS: readonly ValidateExemption[] = [
  {
    rule: 'W2509',
    resources: ['PrefectAuthSecretArn'],
    reason:
      'A name heuristic ("Secret" in a parameter name): the parameter holds the ARN of a secret, not a secret. NoEcho would hide the ARN in the console and keep quick-create links from prefilling it.',
  },
  {
    rule: 'W1030',
    resources: ['EcrRepositoryName'],
    reason:
      'Only in the run without values: the engine checks the default "" against RepositoryName although the repository exists only when the name is given (Condition CreateEcrRepository); the matrix runs check a given name.',
  },
  {
    rule: 'W9003',
    resources: ['ServerApiScalableTarget'],
    reason:
      'MaxCapacity is Fn::If [ServerHighAvailability, ServerMaxReplicas, ServerReplicas], two String parameters whose AllowedValues/AllowedPattern admit only whole numbers (templates/parameters/serverGroups.ts); CloudFormation converts them as it does for a plain Ref, which the engine accepts without this warning.',
  },
  {
    rule: 'W9052',
    resources: ['(template)'],
    reason:
      'Only the worker template without values: with every Condition free the engine exhausts its scenario budget (more than 256 Condition combinations); every matrix run, with values, completes with status OK.',
  },
];

/**
 * Rules that, under parameter values, describe the configuration rather than the template: the
 * engine reports every Fn::If branch the values do not take (W1028) and every reference inside
 * such a branch (W2503). They are judged in the run without values, where they would mean a
 * real defect, and counted, not failed, in the matrix runs.
 */
export const DEAD_BRANCH_RULES: Readonly<Record<string, string>> = {
  W1028: 'an Fn::If branch these parameter values do not take',
  W2503: 'a reference inside an Fn::If branch these parameter values do not take',
};
