/**
 * What a push would register, from the manifest alone (no Prefect, no AWS): the body the
 * registrar would send, with block and variable placeholders shown as they are (they resolve at
 * registration, so their values are not checked here: they are listed instead) and the pushed
 * image's outputs filled in. Used by `npm run preview-registration`.
 */
import { errorMessage } from '../../common/errors';
import { placeholdersIn, stringsWithPaths, type JsonObject } from '../manifest/placeholders';
import { runTimePlaceholders } from '../manifest/references';
import { isMapping } from '../manifest/shape';
import type { Manifest } from '../manifest/check';
import { desiredBody, type DeploymentCreate } from './desired';
import type { PlannedDeployment } from './plan';
import { applyValues, imageStepOutputs } from './templating';

export interface DeploymentPreview {
  readonly flow: string;
  readonly name: string;
  readonly image: string;
  /** Where job_variables.image comes from. */
  readonly imageSource: string;
  /** true/false as the manifest says, or what happens without it. */
  readonly paused: boolean | 'kept as it is in Prefect (false for a new deployment)';
  /** The POST /deployments/ body, with flow_id left out. */
  readonly body?: Omit<DeploymentCreate, 'flow_id'>;
  /** Fields holding block or variable placeholders (`tags`, `schedules[0].active`), resolved through the Prefect API at registration. */
  readonly resolvedAtRegistration: string[];
  /** Pull-step placeholders the flow run resolves when it starts. */
  readonly resolvedAtRunTime: string[];
  readonly problem?: string;
}

export function previewDeployment(plan: PlannedDeployment, workPool: string, manifest: Manifest): DeploymentPreview {
  const d = plan.deployment;
  const outputs = imageStepOutputs(d.imageSteps, plan.pushed);
  const entry = applyValues(d.entry, outputs, { skipPrefixes: ['ctx.'] }) as JsonObject;
  const pull = applyValues([...d.pullSteps], outputs, { removeNotSet: false }) as JsonObject[];
  const variables = isMapping(d.entry.work_pool) && isMapping(d.entry.work_pool.job_variables) ? d.entry.work_pool.job_variables : {};
  const later = stringsWithPaths(entry)
    .filter(([, text]) => placeholdersIn(text).some((p) => p.kind === 'block' || p.kind === 'variable'))
    .map(([path]) => path);
  const base = {
    flow: plan.flow,
    name: plan.name,
    image: plan.image,
    imageSource: 'image' in variables ? `job_variables.image ${JSON.stringify(variables.image)}` : 'job_variables.image is not set: the registrar sets the pushed image',
    paused: typeof d.entry.paused === 'boolean' ? d.entry.paused : ('kept as it is in Prefect (false for a new deployment)' as const),
    resolvedAtRegistration: later,
    resolvedAtRunTime: runTimePlaceholders(pull, manifest.steps),
  };
  try {
    const { flow_id: _flowId, ...body } = desiredBody(plan, entry, pull, '', workPool, undefined, { keepUnresolved: true });
    return { ...base, body };
  } catch (error) {
    return { ...base, problem: errorMessage(error) };
  }
}
