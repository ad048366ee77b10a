import { ValidationSetupError } from '../../../scripts/lib/errors';
import { parameterMatrix } from '../../../scripts/lib/validation/parameterMatrix';
import type { ParameterValues, TemplateLogic } from '../../../scripts/lib/validation/conditionLogic';
import { referencedNames } from '../references';
import { resolveUnder } from '../resolve';
import { containersOf, runs, serverServices, type Container } from '../serverTasks';
import type { CfnTemplate, Verdict } from '../types';

/**
 * `prefect server start` migrates the database unless PREFECT_SERVER_DATABASE_MIGRATE_ON_START
 * (alias PREFECT_API_DATABASE_MIGRATE_ON_START) is false (default true: Prefect
 * 3.6.28:src/prefect/settings/models/server/database.py:253-261); `prefect server database upgrade`
 * always does (3.6.28:src/prefect/cli/server.py:415-453).
 */
function migrates(container: Container): boolean {
  if (runs(container, 'server', 'database', 'upgrade')) return true;
  if (!runs(container, 'server', 'start')) return false;
  const flag = (container.Environment ?? []).find((e) => /^PREFECT_(SERVER|API)_DATABASE_MIGRATE_ON_START$/.test(e.Name));
  return flag?.Value !== 'false';
}

const VERDICT_ORDER: readonly Verdict[] = ['N/A', 'COMPLIANT', 'UNRESOLVABLE', 'NON_COMPLIANT'];
const worst = (verdicts: Verdict[]) => verdicts.reduce((a, b) => (VERDICT_ORDER.indexOf(b) > VERDICT_ORDER.indexOf(a) ? b : a), 'N/A' as Verdict);

/** The verdict for a template as created under one set of parameter values. */
function runsOnceHere(template: CfnTemplate, values: ParameterValues): Verdict {
  const services = serverServices(template);
  if (services.length === 0) return 'N/A';
  const runners: { service: string; container: Container; taskDefinition: string }[] = [];
  for (const service of services) {
    const taskDefinition = (template.Resources[service]!.Properties?.TaskDefinition as { Ref?: string })?.Ref;
    if (!taskDefinition) return 'UNRESOLVABLE';
    for (const container of containersOf(template, taskDefinition)) {
      if ((container.Command ?? []).some((word) => typeof word !== 'string')) return 'UNRESOLVABLE';
      if (migrates(container)) runners.push({ service, container, taskDefinition });
    }
  }
  if (runners.length !== 1) return 'NON_COMPLIANT';
  const [{ service, container, taskDefinition }] = runners as [(typeof runners)[number]];
  const props = template.Resources[service]!.Properties ?? {};
  // One task, never scaled: no Application Auto Scaling target that names the service in its
  // ResourceId lets it grow past one task (a target pinned to 1..1 holds it there).
  const valueOf = (v: unknown) => {
    const name = (v as { Ref?: string } | undefined)?.Ref;
    return name === undefined ? v : (values[name] ?? (template.Parameters?.[name] as { Default?: unknown } | undefined)?.Default);
  };
  const scaled = Object.values(template.Resources).some(
    (r) => r.Type === 'AWS::ApplicationAutoScaling::ScalableTarget' && referencedNames(r.Properties?.ResourceId).has(`${service}.Name`) && String(valueOf(r.Properties?.MaxCapacity)) !== '1',
  );
  if (props.DesiredCount !== 1 || scaled) return 'NON_COMPLIANT';
  if (runs(container, 'server', 'start')) {
    // Migrating at start: two tasks may never overlap, so the old one stops before the new one starts.
    return (props.DeploymentConfiguration as { MaximumPercent?: unknown })?.MaximumPercent === 100 ? 'COMPLIANT' : 'NON_COMPLIANT';
  }
  // A migration container: it exits, the task's essential containers start after it exited 0,
  // and every other server service (the API) waits for this one.
  const afterSuccess = containersOf(template, taskDefinition)
    .filter((c) => c !== container && c.Essential !== false)
    .every((c) => (c.DependsOn ?? []).some((d) => d.ContainerName === container.Name && d.Condition === 'SUCCESS'));
  const othersWait = services.filter((s) => s !== service).every((s) => [...referencedNames(template.Resources[s]!.Properties)].some((name) => name.split('.')[0] === service));
  return container.Essential === false && afterSuccess && othersWait ? 'COMPLIANT' : 'NON_COMPLIANT';
}

/**
 * Exactly one process migrates the database, under every combination of the parameter matrix
 * (scripts/lib/validation/parameterMatrix.ts): Prefect's migrations take no cross-process lock
 * (3.6.28:src/prefect/server/database/alembic_commands.py:19-38), so two migrating at once race.
 * Either the single server task migrates at start and its service runs one task that never
 * overlaps its successor, or one non-essential container of a one-task service migrates before
 * that task's other containers start and before the other server services roll.
 */
export function migrationsRunOnce(template: CfnTemplate): Verdict {
  if (serverServices(template).length === 0) return 'N/A';
  return worst(scenariosOf(template).map((values) => runsOnceHere(resolveUnder(template, values), values)));
}

/**
 * The matrix's combinations. Rules only take combinations away, so where they cannot be
 * evaluated (rulesUseOnlyRuleFunctions reports that) the combinations of the template without
 * Rules are a superset to judge instead.
 */
function scenariosOf(template: CfnTemplate) {
  const logic = template as unknown as TemplateLogic;
  const key = JSON.stringify([logic.Parameters, logic.Conditions, logic.Rules]);
  const known = SCENARIOS.get(key);
  if (known) return known;
  let scenarios;
  try {
    scenarios = parameterMatrix(logic).scenarios.map((s) => s.values);
  } catch (error) {
    if (!(error instanceof ValidationSetupError)) throw error;
    scenarios = parameterMatrix({ ...logic, Rules: {} }).scenarios.map((s) => s.values);
  }
  SCENARIOS.set(key, scenarios);
  return scenarios;
}

/** The matrix depends only on Parameters, Conditions and Rules; the tests judge many variants of one template. */
const SCENARIOS = new Map<string, ParameterValues[]>();
