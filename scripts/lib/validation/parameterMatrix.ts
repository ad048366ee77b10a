/**
 * The parameter combinations every template is validated under, derived from the template
 * itself: the parameters its Conditions and Rules read become dimensions (each with its allowed
 * values, or its default and the samples of parameterSamples.ts), every combination the Rules
 * accept is a candidate, and a greedy pick covers every pair of Condition values (and each
 * allowed value of a dimension) that any accepted combination reaches. A Condition value no accepted combination reaches is reported as
 * uncovered: the matrix test and synth fail on it, so a new Condition cannot go unvalidated.
 */
import { ValidationSetupError } from '../errors';
import { conditionValues, failedAssertions, type ParameterValues, type TemplateLogic } from './conditionLogic';
import { ALSO_VARIED, PARAMETER_SAMPLES } from './parameterSamples';

export interface Scenario {
  /** "defaults", or the parameters that differ from the defaults. */
  readonly name: string;
  /** A value for every parameter of the template. */
  readonly values: ParameterValues;
}

export interface ParameterMatrix {
  readonly dimensions: readonly string[];
  /** The defaults first, then the picked combinations. */
  readonly scenarios: readonly Scenario[];
  /** "Condition=value" pairs that no combination the Rules accept reaches. */
  readonly uncovered: readonly string[];
}

/** AllowedValues lists longer than this (sizes, instance classes) contribute their default and samples only. */
const MAX_ENUMERATED_ALLOWED_VALUES = 4;

function referencedParameters(template: TemplateLogic, expression: unknown, into: Set<string>): void {
  if (Array.isArray(expression)) expression.forEach((item) => referencedParameters(template, item, into));
  else if (expression && typeof expression === 'object') {
    for (const [key, inner] of Object.entries(expression)) {
      if (key === 'Ref' && typeof inner === 'string' && template.Parameters?.[inner]) into.add(inner);
      else referencedParameters(template, inner, into);
    }
  }
}

function dimensionsOf(template: TemplateLogic): string[] {
  const names = new Set<string>();
  referencedParameters(template, template.Conditions ?? {}, names);
  referencedParameters(template, template.Rules ?? {}, names);
  for (const name of ALSO_VARIED) if (template.Parameters?.[name]) names.add(name);
  return [...names].sort();
}

const samplesOf = (name: string): readonly string[] => PARAMETER_SAMPLES[name as keyof typeof PARAMETER_SAMPLES] ?? [];

/** The values the matrix tries for a parameter: its AllowedValues if few, else its Default, samples and "" where allowed. */
export function domainOf(template: TemplateLogic, name: string): string[] {
  const parameter = template.Parameters![name]!;
  const allowed = parameter.AllowedValues?.map(String);
  if (allowed && allowed.length <= MAX_ENUMERATED_ALLOWED_VALUES) return allowed;
  // An optional parameter that may be left empty is tried empty too (a synth-time default may fill it).
  const empty = parameter.Default !== undefined && parameter.AllowedPattern !== undefined && new RegExp(parameter.AllowedPattern).test('') ? [''] : [];
  const values = [...(parameter.Default === undefined ? [] : [String(parameter.Default)]), ...samplesOf(name), ...empty];
  if (values.length === 0) throw new ValidationSetupError(`parameter ${name} has no Default and no sample value: add one to scripts/lib/validation/parameterSamples.ts`);
  return [...new Set(values)];
}

/** Every parameter at its default; one without a default at its first sample. */
export function defaultValues(template: TemplateLogic): Record<string, string> {
  return Object.fromEntries(
    Object.entries(template.Parameters ?? {}).map(([name, parameter]) => {
      const value = parameter.Default === undefined ? samplesOf(name)[0] : String(parameter.Default);
      if (value === undefined) throw new ValidationSetupError(`parameter ${name} has no Default and no sample value: add one to scripts/lib/validation/parameterSamples.ts`);
      return [name, value];
    }),
  );
}

function* combinations(domains: readonly (readonly string[])[]): Generator<string[]> {
  const index = domains.map(() => 0);
  for (;;) {
    yield index.map((i, d) => domains[d]![i]!);
    let d = domains.length - 1;
    while (d >= 0 && ++index[d]! === domains[d]!.length) index[d--] = 0;
    if (d < 0) return;
  }
}

/**
 * Groups of dimensions that no Condition or Rule connects to each other. Each group is
 * enumerated on its own (a Rule reads the dimensions of one group only), so the search grows
 * with the product of the groups' accepted parts, not with the product of all dimensions.
 */
export function dimensionGroups(template: TemplateLogic, dimensions: readonly string[]): string[][] {
  const parent = new Map(dimensions.map((d) => [d, d]));
  const find = (d: string): string => (parent.get(d) === d ? d : find(parent.get(d)!));
  const join = (expression: unknown) => {
    const names = new Set<string>();
    referencedParameters(template, expression, names);
    // A Condition that refers to other Conditions reads their parameters too.
    for (const m of JSON.stringify(expression).matchAll(/"Condition":"([^"]+)"/g)) referencedParameters(template, template.Conditions?.[m[1]!], names);
    const [first, ...rest] = [...names].filter((n) => parent.has(n));
    for (const other of rest) parent.set(find(other), find(first!));
  };
  // Conditions nest at most a few levels: joining each with its direct references, repeatedly, closes them.
  for (let pass = 0; pass < 3; pass++) Object.values(template.Conditions ?? {}).forEach(join);
  Object.values(template.Rules ?? {}).forEach(join);
  const groups = new Map<string, string[]>();
  for (const d of dimensions) groups.set(find(d), [...(groups.get(find(d)) ?? []), d]);
  return [...groups.values()];
}

function nameOf(values: ParameterValues, defaults: ParameterValues, dimensions: readonly string[], template: TemplateLogic): string {
  const changes = dimensions
    .filter((name) => values[name] !== defaults[name])
    .map((name) => (template.Parameters![name]!.AllowedValues ? `${name}=${values[name]}` : values[name] === '' ? `no ${name}` : name));
  return changes.length === 0 ? 'defaults' : changes.join(', ');
}

export function parameterMatrix(template: TemplateLogic): ParameterMatrix {
  const dimensions = dimensionsOf(template);
  const defaults = defaultValues(template);
  const enumerated = dimensions.filter((name) => (template.Parameters![name]!.AllowedValues?.length ?? Infinity) <= MAX_ENUMERATED_ALLOWED_VALUES);
  const factIds = new Map<string, number>();
  const id = (fact: string) => factIds.get(fact) ?? (factIds.set(fact, factIds.size), factIds.size - 1);
  /** What a combination makes true: each Condition value and each enumerated dimension value. */
  const factsOf = (values: ParameterValues) => [
    ...Object.entries(conditionValues(template, values)).map(([name, value]) => id(`${name}=${value}`)),
    ...enumerated.map((name) => id(`${name}:${values[name]}`)),
  ];
  /** What a combination covers: its facts and every pair of them. */
  const targetsOf = (facts: readonly number[]) => {
    const targets = facts.map((f) => -1 - f);
    for (let i = 0; i < facts.length; i++) for (let j = i + 1; j < facts.length; j++) targets.push(Math.min(facts[i]!, facts[j]!) * 100_003 + Math.max(facts[i]!, facts[j]!));
    return targets;
  };
  // Per group: its accepted value combinations, one per distinct set of facts.
  const groups = dimensionGroups(template, dimensions).map((group) => {
    // The group is judged by its own Rules: the other groups' defaults may be rejected (a credential is required).
    const rules = Object.fromEntries(Object.entries(template.Rules ?? {}).filter(([, rule]) => {
      const names = new Set<string>();
      referencedParameters(template, rule, names);
      return group.some((name) => names.has(name));
    }));
    const ownRules = { ...template, Rules: rules };
    const parts = new Map<string, Record<string, string>>();
    for (const combination of combinations(group.map((name) => domainOf(template, name)))) {
      const part = Object.fromEntries(group.map((name, i) => [name, combination[i]!]));
      const values = { ...defaults, ...part };
      if (failedAssertions(ownRules, values).length > 0) continue;
      const key = factsOf(values).join(',');
      if (!parts.has(key)) parts.set(key, part);
    }
    return [...parts.values()];
  });
  // A group with no accepted combination leaves none at all: only the defaults remain.
  const choices = groups.some((parts) => parts.length === 0) ? [] : [...combinations(groups.map((parts) => parts.map((_, i) => String(i))))];
  const candidates = choices.map((choice) => {
    const values: Record<string, string> = { ...defaults, ...Object.assign({}, ...choice.map((i, g) => groups[g]![Number(i)]!)) };
    return { values, targets: targetsOf(factsOf(values)) };
  });
  const covered = new Set<number>();
  const scenarios: Scenario[] = [{ name: 'defaults', values: defaults }];
  // The defaults count only when CloudFormation accepts them (the worker's need a credential).
  if (failedAssertions(template, defaults).length === 0) targetsOf(factsOf(defaults)).forEach((t) => covered.add(t));
  for (;;) {
    let best: (typeof candidates)[number] | undefined;
    let bestGain = 0;
    for (const candidate of candidates) {
      let gain = 0;
      for (const t of candidate.targets) if (!covered.has(t)) gain++;
      if (gain > bestGain) [best, bestGain] = [candidate, gain];
    }
    if (!best) break;
    best.targets.forEach((t) => covered.add(t));
    scenarios.push({ name: nameOf(best.values, defaults, dimensions, template), values: best.values });
  }
  const uncovered = Object.keys(template.Conditions ?? {})
    .flatMap((name) => [`${name}=true`, `${name}=false`])
    .filter((fact) => !factIds.has(fact) || !covered.has(-1 - factIds.get(fact)!));
  return { dimensions, scenarios, uncovered };
}

/**
 * For checks that see one set of values at a time (cdk-nag): the defaults, then the fewest
 * further matrix combinations CloudFormation accepts (picked greedily) that between them take
 * every Condition both ways, as the whole matrix does: each conditional option (Multi-AZ, HTTPS,
 * internet-facing, an existing cluster …) is seen on and off.
 */
export function conditionCover(template: TemplateLogic): Scenario[] {
  const [defaults, ...rest] = parameterMatrix(template).scenarios;
  const facts = (s: Scenario) => Object.entries(conditionValues(template, s.values)).map(([name, value]) => `${name}=${value}`);
  const accepted = rest.filter((s) => failedAssertions(template, s.values).length === 0).map((scenario) => ({ scenario, facts: facts(scenario) }));
  const missing = new Set(accepted.flatMap((a) => a.facts));
  if (failedAssertions(template, defaults!.values).length === 0) facts(defaults!).forEach((fact) => missing.delete(fact));
  const chosen: Scenario[] = [defaults!];
  const gain = (a: (typeof accepted)[number]) => a.facts.filter((fact) => missing.has(fact)).length;
  while (missing.size > 0) {
    const best = accepted.reduce((b, a) => (gain(a) > gain(b) ? a : b));
    best.facts.forEach((fact) => missing.delete(fact));
    chosen.push(best.scenario);
  }
  return chosen;
}
