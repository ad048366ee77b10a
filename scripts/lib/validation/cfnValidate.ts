/**
 * AWS CloudFormation Validate (`@aws/cloudformation-validate`), AWS's offline validation engine,
 * run directly through its API from the copy bundled in aws-cdk-lib (README "Libraries" says why
 * that copy). One engine per process: compiling its rules takes seconds, a validation on a warm
 * engine about 0.1-0.3 s, and its wasm memory lives outside the JS heap.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { ToolFailedError } from '../errors';
import { ROOT } from '../paths';

export type Severity = 'FATAL' | 'ERROR' | 'WARN' | 'INFO' | 'DEBUG';

/** One finding, reduced to what the summary, the suppressions and the tests need. */
export interface ValidateFinding {
  readonly ruleId: string;
  readonly severity: Severity;
  /** The resource, parameter, output or rule the finding is about ("(template)" for the whole template). */
  readonly logicalId: string;
  readonly path: string;
  readonly message: string;
  /** The Condition values under which the engine says the finding happens. */
  readonly conditionScenario?: Readonly<Record<string, boolean>>;
}

export interface ValidateReport {
  /** OK, ANALYSIS_INCOMPLETE (a budget of the engine ran out) or ERROR (the template did not parse). */
  readonly status: string;
  readonly findings: ValidateFinding[];
}

interface EngineDiagnostic {
  ruleId: string;
  severity: Severity;
  message: string;
  propertyPath?: string;
  entity?: { logicalId?: string };
  conditionScenario?: Record<string, boolean>;
}
interface Engine {
  validateTemplate(template: unknown, config: object): { status: string; diagnostics: EngineDiagnostic[] };
}
interface EngineModule {
  version(): string;
  CompositeEngine: new () => Engine;
  TemplateContent: new (content: string, name?: string) => unknown;
}

/** 1.14.0 is the first engine that does not crash on the server template (research/validators.md). */
const MIN_ENGINE_VERSION = [1, 14, 0];

let loaded: { module: EngineModule; engine: Engine } | undefined;

/**
 * aws-cdk-lib bundles the engine (bundleDependencies) and its package "exports" hide that path,
 * so resolve it from aws-cdk-lib's own entry point, as aws-cdk-lib's code does.
 */
function engine(): { module: EngineModule; engine: Engine } {
  if (loaded) return loaded;
  const fromProject = createRequire(path.join(ROOT, 'package.json'));
  const module = createRequire(fromProject.resolve('aws-cdk-lib'))('@aws/cloudformation-validate') as EngineModule;
  const have = module.version().split(/[.-]/).map(Number);
  const older = MIN_ENGINE_VERSION.findIndex((n, i) => have[i] !== n);
  if (older >= 0 && have[older]! < MIN_ENGINE_VERSION[older]!) {
    throw new ToolFailedError('cloudformation-validate', `@aws/cloudformation-validate ${module.version()} is older than ${MIN_ENGINE_VERSION.join('.')}: install aws-cdk-lib 2.276.0 or newer`);
  }
  loaded = { module, engine: new module.CompositeEngine() };
  return loaded;
}

export const engineVersion = (): string => engine().module.version();

/** The account and region names that resolve ${AWS::AccountId}/${AWS::Region} (no real account is involved). */
const PSEUDO_PARAMETERS = { region: 'us-east-1', accountId: '123456789012', partition: 'aws' };

/**
 * Validates template text at WARN and above. `parameters` are deploy-time values (strings; lists
 * comma-joined); without them the engine uses each parameter's Default and treats every
 * Condition as free.
 */
export function cfnValidate(templateText: string, name: string, parameters?: Readonly<Record<string, string>>): ValidateReport {
  const { module, engine: e } = engine();
  let report: ReturnType<Engine['validateTemplate']>;
  try {
    report = e.validateTemplate(new module.TemplateContent(templateText, name), {
      detailLevel: 'STANDARD',
      severityLevel: 'WARN',
      parameterOverrides: { ...(parameters ?? {}) },
      pseudoParameterOverrides: PSEUDO_PARAMETERS,
    });
  } catch (error) {
    // The engine throws strings or WebAssembly.RuntimeError (a trapped Rust panic).
    throw new ToolFailedError('cloudformation-validate', `CloudFormation Validate failed on ${name}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return {
    status: report.status,
    findings: report.diagnostics.map((d) => ({
      ruleId: d.ruleId,
      severity: d.severity,
      logicalId: d.entity?.logicalId ?? '(template)',
      path: d.propertyPath ?? '',
      message: d.message,
      ...(d.conditionScenario ? { conditionScenario: d.conditionScenario } : {}),
    })),
  };
}

export const isBlocking = (f: ValidateFinding) => f.severity === 'FATAL' || f.severity === 'ERROR';
export const formatValidateFinding = (f: ValidateFinding) => `${f.severity} ${f.ruleId} ${f.logicalId} ${f.path}: ${f.message}`;
