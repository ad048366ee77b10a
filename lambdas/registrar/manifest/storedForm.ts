/**
 * The manifest as the registrar's SSM parameter holds it: only what the Lambda reads, so more
 * deployments fit in a parameter's 8 KB (Advanced tier; https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html).
 * Kept: `deployments` (without `triggers`/`sla`, which the registrar does not register, and with
 * their `build`/`push` steps cut to the function and `id`: only the ids are read, to tell the
 * pushed image's step outputs from other steps'), the top-level `pull` and `build`/`push` cut the
 * same way, and `ecr_triggers`. Dropped: `definitions` (its anchors are already expanded), `name`,
 * `prefect-version`. check.ts reads the stored form into the same deployments as the file.
 */
import type { Json, JsonObject } from './placeholders';
import { isMapping, stepList } from './shape';

/** Steps as `{function: {id}}`, only those with an id. */
function stepIdsOnly(steps: Json | undefined): JsonObject[] | undefined {
  const kept = stepList(steps).flatMap((step) =>
    Object.entries(step).flatMap(([fn, inputs]) => (isMapping(inputs) && typeof inputs.id === 'string' ? [{ [fn]: { id: inputs.id } }] : [])),
  );
  return kept.length > 0 ? kept : undefined;
}

function withSteps(entry: JsonObject, build: Json | undefined, push: Json | undefined): JsonObject {
  const [b, p] = [stepIdsOnly(build), stepIdsOnly(push)];
  return { ...entry, ...(b ? { build: b } : {}), ...(p ? { push: p } : {}) };
}

export function storedForm(document: JsonObject): JsonObject {
  const deployments = (Array.isArray(document.deployments) ? document.deployments : []).map((d) => {
    if (!isMapping(d)) return d;
    const { build, push, triggers: _triggers, sla: _sla, ...entry } = d;
    return withSteps(entry, build, push);
  });
  return withSteps(
    { ...(document.pull !== undefined ? { pull: document.pull } : {}), deployments, ...(document.ecr_triggers !== undefined ? { ecr_triggers: document.ecr_triggers } : {}) },
    document.build,
    document.push,
  );
}
