/**
 * Which placeholders a deployment may hold, and where. The registrar stands in for
 * `prefect deploy` at push time, so it resolves what `prefect deploy` resolves from Prefect
 * (blocks, variables) and from the build/push steps (only the pushed image's outputs), keeps what
 * Prefect keeps for run time (pull steps, `{{ ctx.* }}`), and refuses what it cannot know.
 */
import { placeholdersIn, stringsWithPaths, wholePlaceholder, type Json, type Placeholder } from './placeholders';

/** The outputs of prefect_docker's build and push steps the registrar can give: the pushed image. */
export const IMAGE_OUTPUTS = ['image', 'image_name', 'tag'] as const;
/** Steps whose outputs are the image (3.6.28:src/prefect/cli/deploy/_core.py:L160-L166). */
export const IMAGE_STEP_FUNCTIONS = ['prefect_docker.deployments.steps.build_docker_image', 'prefect_docker.deployments.steps.push_docker_image'];

/** What the build and push sections say about step ids: image steps, and other steps' ids. */
export interface StepIds {
  readonly image: ReadonlySet<string>;
  readonly other: ReadonlySet<string>;
}

/** Fields the registrar must know without asking Prefect: they pick the deployment, its flow and its pool. */
export const STATIC_FIELDS = ['name', 'flow_name', 'entrypoint', 'work_pool.name'];

/** Why a step-output placeholder cannot resolve at registration; undefined when it can. */
export function stepOutputProblem(name: string, steps: StepIds): string | undefined {
  const dot = name.indexOf('.');
  if (dot < 0) return (IMAGE_OUTPUTS as readonly string[]).includes(name) ? undefined : `nothing provides {{ ${name} }} at registration (prefect deploy would drop the value)`;
  const [id, key] = [name.slice(0, dot), name.slice(dot + 1)];
  if (steps.other.has(id)) return `{{ ${name} }} is an output of step "${id}", which the registrar does not run: only the pushed image's ${IMAGE_OUTPUTS.join(', ')} are known`;
  // With no build or push section the step id cannot be checked: any id stands for the push.
  if (steps.image.size > 0 && !steps.image.has(id)) return `no build or push step has the id "${id}" (ids: ${[...steps.image].join(', ')})`;
  if (!(IMAGE_OUTPUTS as readonly string[]).includes(key)) return `the registrar knows ${IMAGE_OUTPUTS.map((k) => `{{ ${id}.${k} }}`).join(', ')} of the pushed image, not {{ ${name} }}`;
  return undefined;
}

const blockShapeProblem = (text: string, p: Placeholder): string | undefined => {
  if (wholePlaceholder(text)?.kind !== 'block') return `${JSON.stringify(text)}: a block placeholder must be the whole value, with no other text (Prefect: "Only a single block placeholder is allowed in a string")`;
  return p.name.split('.').length < 4 ? `${p.fullMatch} must name prefect.blocks.<block-type-slug>.<block-document-name>` : undefined;
};

/** Problems of the placeholders in a deployment entry (pull, build, push, triggers and sla excluded). */
export function entryPlaceholderProblems(entry: Json, where: string, steps: StepIds): string[] {
  const problems: string[] = [];
  for (const [path, text] of stringsWithPaths(entry)) {
    for (const p of placeholdersIn(text)) {
      const at = `${where}.${path}`;
      if (STATIC_FIELDS.includes(path)) {
        problems.push(`${at} has ${p.fullMatch}; ${path} must be literal: the registrar needs it before it asks Prefect`);
      } else if (p.kind === 'env') {
        problems.push(`${at} has ${p.fullMatch}: environment placeholders cannot be resolved in the stack (the Lambda's environment is not yours); write the value, or use {{ prefect.variables.<name> }}`);
      } else if (p.kind === 'block') {
        const why = blockShapeProblem(text, p);
        if (why) problems.push(`${at} ${why}`);
      } else if (p.kind === 'standard' && !p.name.startsWith('ctx.')) {
        const why = stepOutputProblem(p.name, steps);
        if (why) problems.push(`${at}: ${why}`);
      }
    }
  }
  return problems;
}

/** Problems of pull-step placeholders: kept for run time, where an embedded block placeholder fails. */
export function pullPlaceholderProblems(steps: Json, where: string): string[] {
  const problems: string[] = [];
  for (const [path, text] of stringsWithPaths(steps)) {
    for (const p of placeholdersIn(text)) {
      if (p.kind !== 'block') continue;
      const why = blockShapeProblem(text, p);
      if (why) problems.push(`${where}${path}: ${why}`);
    }
  }
  return problems;
}

/** Pull-step placeholders that resolve only at run time, for the preview. */
export function runTimePlaceholders(steps: Json, imageSteps: StepIds): string[] {
  return [
    ...new Set(
      stringsWithPaths(steps).flatMap(([, text]) =>
        placeholdersIn(text)
          .filter((p) => p.kind !== 'standard' || stepOutputProblem(p.name, imageSteps) !== undefined)
          .map((p) => p.fullMatch),
      ),
    ),
  ];
}

/** The step ids whose image outputs a value refers to (with no build/push section, any id). */
export function referencedImageSteps(value: Json, steps: StepIds): string[] {
  const ids = stringsWithPaths(value).flatMap(([, text]) =>
    placeholdersIn(text)
      .filter((p) => p.kind === 'standard' && p.name.includes('.') && stepOutputProblem(p.name, steps) === undefined)
      .map((p) => p.name.slice(0, p.name.indexOf('.'))),
  );
  return [...new Set([...steps.image, ...ids])].sort();
}
