/**
 * The registrar's manifest: a prefect.yaml document (its `deployments:` and `pull:`) plus our
 * `ecr_triggers:`, as plain JSON data. Checked here the same way at synth, in the preview and in
 * the Lambda (which reads the stored JSON form); every problem names the file, the deployment
 * and the field. The checks that need Python's zone names or an rrule parser are passed in.
 */
import { ManifestError } from '../errors';
import { hasPlaceholders, wholePlaceholder, type Json, type JsonObject } from './placeholders';
import { IMAGE_STEP_FUNCTIONS, entryPlaceholderProblems, pullPlaceholderProblems, referencedImageSteps, type StepIds } from './references';
import { scheduleEntries, scheduleProblems, type ValueChecks } from './schedules';
import { CONCURRENCY_LIMIT, DEPLOYMENT, TOP_LEVEL, TRIGGER, POOL_FIELDS, checkFields, isMapping, stepList } from './shape';

export interface ManifestDeployment {
  readonly name: string;
  /** flow_name, or the entrypoint's function with underscores as hyphens (3.6.28:src/prefect/flows.py:L292). */
  readonly flowName: string;
  readonly entrypoint: string;
  /** work_pool.name as written. */
  readonly workPool?: string;
  /** The entry as written, with a legacy `schedule:` moved to `schedules:`; templated at registration. */
  readonly entry: JsonObject;
  /** The deployment's pull steps, else the top-level ones, verbatim (_core.py:L86-L88, L253-L266). */
  readonly pullSteps: readonly Json[];
  /** The one repository whose pushes register it, and the tag patterns that do. */
  readonly repository: string;
  readonly tagPatterns: readonly string[];
  /** Step ids whose `{{ <id>.image }}`, `.image_name` and `.tag` stand for the pushed image. */
  readonly imageSteps: readonly string[];
}

export interface EcrTrigger {
  readonly repository: string;
  readonly tags: readonly string[];
  readonly deployments: readonly string[];
}

export interface Manifest {
  readonly deployments: readonly ManifestDeployment[];
  readonly triggers: readonly EcrTrigger[];
  readonly steps: StepIds;
  /** Things a person should know that are not errors (what is not registered, what waits for run time). */
  readonly notices: readonly string[];
}

export interface CheckOptions extends ValueChecks {
  /**
   * The work pool the stack's workers poll, where it is known as a value: the preview's
   * --work-pool. A deployment naming another is then a problem. Synth leaves it out (WorkPoolName
   * is a deploy-time parameter: it emits a Rule instead) and so does the Lambda (it reports such a
   * deployment as failed, alone). @default not checked
   */
  readonly workPool?: string;
}

const REPOSITORY = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
/**
 * A tag pattern: the characters of an image tag (the OCI distribution spec's `[A-Za-z0-9_.-]`, up to
 * 128: https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pulling-manifests) and
 * the wildcards `*` and `?`. A pattern such as `v[0-9]*` could never match a tag.
 */
const TAG_PATTERN = /^[A-Za-z0-9_.*?-]{1,128}$/;
/** A Python identifier, as far as letters go (PEP 3131: `läuft` is one). */
const ENTRYPOINT = /^[^:]+:[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]*$/u;
export const flowNameFromEntrypoint = (entrypoint: string) => entrypoint.slice(entrypoint.lastIndexOf(':') + 1).replace(/_/g, '-');

/** Step ids of the build and push sections, top-level and per deployment. */
function stepIds(document: JsonObject, deployments: JsonObject[]): StepIds {
  const image = new Set<string>();
  const other = new Set<string>();
  const sections = [document, ...deployments].flatMap((d) => [...stepList(d.build), ...stepList(d.push)]);
  for (const step of sections) {
    for (const [fn, inputs] of Object.entries(step)) {
      const id = isMapping(inputs) && typeof inputs.id === 'string' ? inputs.id : undefined;
      if (id) (IMAGE_STEP_FUNCTIONS.includes(fn) ? image : other).add(id);
    }
  }
  return { image, other };
}

/**
 * Why an image value would not run the pushed image: the rule is the whole placeholder
 * `{{ <id>.image }}` of a build or push step (any id when the manifest has neither section) or
 * `{{ image }}`, which the registrar resolves to the pushed image pinned by digest; or no image,
 * and then it sets that. A literal, a variable, a tag-pinned `{{ ...image_name }}:{{ ...tag }}`
 * (a later push of the tag would change what runs, and the never-older rule cannot see it) or text
 * around the placeholder (`{{ image }}-debug`, no valid reference) are refused.
 */
export function imageProblem(image: Json, steps: StepIds): string | undefined {
  const whole = typeof image === 'string' ? wholePlaceholder(image) : undefined;
  const id = whole?.kind === 'standard' && whole.name.endsWith('.image') ? whole.name.slice(0, -'.image'.length) : undefined;
  if (whole?.kind === 'standard' && (whole.name === 'image' || (id !== undefined && !id.includes('.') && !steps.other.has(id) && (steps.image.size === 0 || steps.image.has(id))))) return undefined;
  const allowed = steps.image.size > 0 ? [...steps.image].map((i) => `'{{ ${i}.image }}'`).join(' or ') : "'{{ <build step id>.image }}'";
  return `is ${JSON.stringify(image)}; a deployment the registrar registers runs the pushed image, pinned by digest: write ${allowed} (or '{{ image }}'), or leave image out`;
}

function checkDeployment(d: JsonObject, index: number, seen: Set<string>, steps: StepIds, options: CheckOptions, problems: string[], notices: string[]): void {
  const where = `deployment "${typeof d.name === 'string' ? d.name : `#${index + 1}`}"`;
  const shape = checkFields(d, DEPLOYMENT, `${where}: `, 'a deployment');
  problems.push(...shape);
  if (typeof d.name !== 'string' || !d.name) problems.push(`${where}: name is required`);
  else if (seen.has(d.name)) problems.push(`${where}: name is used twice`);
  else seen.add(d.name);
  if (typeof d.entrypoint !== 'string' || !ENTRYPOINT.test(d.entrypoint)) {
    problems.push(`${where}: entrypoint must look like "path/to/file.py:flow_function" (got ${JSON.stringify(d.entrypoint ?? null)})`);
  }
  if (typeof d.tags === 'string' && !hasPlaceholders(d.tags)) problems.push(`${where}: tags must be a list (Prefect would split the text ${JSON.stringify(d.tags)} into single characters)`);
  if (isMapping(d.work_pool)) {
    problems.push(...checkFields(d.work_pool, POOL_FIELDS, `${where}: work_pool.`, 'work_pool'));
    const pool = d.work_pool.name;
    if (options.workPool && typeof pool === 'string' && pool && pool !== options.workPool) {
      problems.push(`${where}: work_pool.name is "${pool}", but the stack's workers poll "${options.workPool}": its runs would never start; use "${options.workPool}" or leave work_pool.name out`);
    }
    const image = isMapping(d.work_pool.job_variables) ? d.work_pool.job_variables.image : undefined;
    const why = image === undefined ? undefined : imageProblem(image, steps);
    if (why) problems.push(`${where}: work_pool.job_variables.image ${why}`);
  }
  if (isMapping(d.concurrency_limit)) {
    problems.push(...checkFields(d.concurrency_limit, CONCURRENCY_LIMIT, `${where}: concurrency_limit.`, 'concurrency_limit'));
    const strategy = d.concurrency_limit.collision_strategy;
    // Required by the server's ConcurrencyOptions (3.6.28:src/prefect/server/schemas/core.py:L172-L183).
    if (!hasPlaceholders(strategy) && strategy !== 'ENQUEUE' && strategy !== 'CANCEL_NEW') problems.push(`${where}: concurrency_limit.collision_strategy must be ENQUEUE or CANCEL_NEW (got ${JSON.stringify(strategy ?? null)})`);
    const grace = d.concurrency_limit.grace_period_seconds;
    if (typeof grace === 'number' && (grace < 60 || grace > 86_400)) problems.push(`${where}: concurrency_limit.grace_period_seconds must be from 60 to 86400 (got ${grace})`);
  }
  const limit = isMapping(d.concurrency_limit) ? d.concurrency_limit.limit : d.concurrency_limit;
  if (typeof limit === 'number' && limit < 1) problems.push(`${where}: concurrency_limit must be a positive whole number (got ${limit})`);
  scheduleEntries(d, where, problems).forEach((s, i) => problems.push(...scheduleProblems(s, `${where}: schedules[${i}]`, options)));
  const { pull: _pull, build: _build, push: _push, triggers, sla, ...templated } = d;
  problems.push(...entryPlaceholderProblems(templated, where, steps));
  problems.push(...pullPlaceholderProblems(_pull ?? null, `${where}: pull`));
  if (typeof d.flow_name === 'string' && d.flow_name) {
    notices.push(`${where}: flow_name "${d.flow_name}" is used as written, where prefect deploy takes the name from the code's @flow(name=...) (3.6.28:src/prefect/cli/deploy/_core.py:L107): keep the two the same`);
  }
  if (d.version_type) notices.push(`${where}: version_type is not sent (it becomes version_info, which needs Prefect 3.3.6); version is sent as given`);
  if (triggers || sla) notices.push(`${where}: triggers and sla are not registered by the registrar (prefect deploy creates them as automations)`);
}

function checkTriggers(raw: Json | undefined, names: readonly string[], problems: string[]): EcrTrigger[] {
  const list = Array.isArray(raw) ? raw : [];
  if (list.length === 0) problems.push('ecr_triggers: at least one trigger is needed (repository, tags, deployments)');
  return list.map((t, i) => {
    const where = `ecr_triggers[${i}]`;
    if (!isMapping(t)) {
      problems.push(`${where} must be a mapping with repository, tags and (optionally) deployments`);
      return { repository: '', tags: [], deployments: [] };
    }
    problems.push(...checkFields(t, TRIGGER, `${where}.`, 'an ecr_triggers entry'));
    if (typeof t.repository !== 'string' || !REPOSITORY.test(t.repository)) problems.push(`${where}.repository must be an ECR repository name (got ${JSON.stringify(t.repository ?? null)})`);
    const tags = Array.isArray(t.tags) ? t.tags : [];
    if (tags.length === 0 || tags.some((g) => typeof g !== 'string' || !g)) problems.push(`${where}.tags must be a non-empty list of tag patterns such as "v*"`);
    for (const [j, g] of tags.entries()) {
      if (typeof g === 'string' && g && !TAG_PATTERN.test(g)) problems.push(`${where}.tags[${j}] ${JSON.stringify(g)} can match no image tag: a pattern is up to 128 of A-Z a-z 0-9 _ . - (what a tag may hold), with * for any run and ? for one character`);
    }
    const chosen = Array.isArray(t.deployments) ? t.deployments : names;
    for (const name of chosen) if (!names.includes(name as string)) problems.push(`${where}.deployments names ${JSON.stringify(name)}, which is not in deployments:`);
    return { repository: String(t.repository), tags: tags as string[], deployments: chosen as string[] };
  });
}

/** Checks a prefect.yaml document (already parsed: YAML at synth, JSON in the Lambda) into a Manifest. */
export function checkManifest(document: unknown, file: string, options: CheckOptions = {}): Manifest {
  if (!isMapping(document as Json)) throw new ManifestError(file, ['must be a mapping with deployments: and ecr_triggers:']);
  const doc = document as JsonObject;
  const problems = checkFields(doc, TOP_LEVEL, 'top level: ', 'a prefect.yaml');
  const notices: string[] = [];
  const raw = (Array.isArray(doc.deployments) ? doc.deployments : []).filter(isMapping);
  if (raw.length !== (Array.isArray(doc.deployments) ? doc.deployments.length : 0)) problems.push('deployments: every entry must be a mapping');
  const steps = stepIds(doc, raw);
  problems.push(...pullPlaceholderProblems(doc.pull ?? null, 'pull'));
  const seen = new Set<string>();
  raw.forEach((d, i) => checkDeployment(d, i, seen, steps, options, problems, notices));
  const names = raw.map((d) => d.name).filter((n): n is string => typeof n === 'string');
  const triggers = checkTriggers(doc.ecr_triggers, names, problems);
  const deployments = raw.flatMap((d): ManifestDeployment[] => {
    const mine = triggers.filter((t) => t.deployments.includes(d.name as string));
    const repositories = [...new Set(mine.map((t) => t.repository))];
    if (repositories.length > 1) problems.push(`deployment "${d.name}": triggers of ${repositories.join(' and ')} name it; a deployment runs one repository's images`);
    if (mine.length === 0) {
      notices.push(`deployment "${d.name}": no ecr_triggers entry names it, so no push registers it`);
      return [];
    }
    const { schedule: _legacy, pull: _pull, build: _build, push: _push, triggers: _triggers, sla: _sla, ...entry } = d;
    const schedules = scheduleEntries(d, '', []);
    const pull = stepList(d.pull).length > 0 ? stepList(d.pull) : stepList(doc.pull);
    if (pull.length === 0) notices.push(`deployment "${d.name}": no pull steps; the flow runs from the image's working directory`);
    return [{
      name: d.name as string,
      flowName: typeof d.flow_name === 'string' && d.flow_name ? d.flow_name : flowNameFromEntrypoint(String(d.entrypoint ?? '')),
      entrypoint: d.entrypoint as string,
      workPool: isMapping(d.work_pool) && typeof d.work_pool.name === 'string' && d.work_pool.name ? d.work_pool.name : undefined,
      entry: { ...entry, ...(schedules.length > 0 || 'schedules' in d ? { schedules } : {}) },
      pullSteps: pull,
      repository: mine[0]!.repository,
      tagPatterns: [...new Set(mine.flatMap((t) => t.tags))],
      imageSteps: referencedImageSteps([entry, pull], steps),
    }];
  });
  if (problems.length > 0) throw new ManifestError(file, [...new Set(problems)]);
  return { deployments, triggers, steps, notices };
}

/**
 * Glob match of an image tag: `*` any run, `?` one character; everything else literal. Walks both
 * strings once, going back only to just after the last `*` (at most pattern x tag steps), so a
 * pushed tag cannot make it backtrack without end, as a regular expression built from the pattern could.
 */
export function tagMatches(pattern: string, tag: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let resume = 0;
  while (t < tag.length) {
    if (p < pattern.length && (pattern[p] === '?' || pattern[p] === tag[t])) {
      p++;
      t++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      resume = t;
    } else if (star >= 0) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}

export const watchedRepositories = (manifest: Manifest): string[] => [...new Set(manifest.triggers.map((t) => t.repository))].sort();
