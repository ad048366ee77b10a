/**
 * npm run preview-registration -- --manifest FILE --repo R --tag T --digest sha256:... [--account A --region R] [--work-pool P] [--json]
 *
 * What a push of R:T (digest D) would register, from the manifest alone, with no network: the
 * manifest checked as synth checks it (errors name the file, the deployment and the field), then
 * each deployment's body. --json also prints the manifest's JSON form, what the SSM parameter holds.
 */
import fs from 'node:fs';
import { readManifest } from '../lambdas/registrar/manifest/fromYaml';
import { DIGEST, planRegistration } from '../lambdas/registrar/registration/plan';
import { previewDeployment } from '../lambdas/registrar/registration/preview';
import { parseFlags, runCli } from './lib/args';
import { UsageError } from './lib/errors';

const USAGE = 'npm run preview-registration -- --manifest FILE --repo R --tag T --digest sha256:... [--account A --region R] [--work-pool P] [--json]';

void runCli('preview-registration', USAGE, () => {
  const flags = parseFlags(process.argv.slice(2), { values: ['manifest', 'repo', 'tag', 'digest', 'account', 'region', 'work-pool'], booleans: ['json'] });
  const { manifest: file, repo, tag, digest } = flags.values;
  if (!file || !repo || !tag || !digest) throw new UsageError('--manifest, --repo, --tag and --digest are required');
  if (!DIGEST.test(digest)) throw new UsageError(`--digest must be sha256: and 64 hex characters (got ${JSON.stringify(digest)})`);
  if (!fs.existsSync(file)) throw new UsageError(`--manifest ${file} does not exist`);
  const workPool = flags.values['work-pool'] ?? 'ecs-pool';
  const { manifest, document } = readManifest(fs.readFileSync(file, 'utf8'), file, { workPool });
  const pushed = { account: flags.values.account ?? '123456789012', region: flags.values.region ?? 'us-east-1', repository: repo, tag, digest };
  const deployments = planRegistration(manifest, pushed).map((plan) => previewDeployment(plan, workPool, manifest));
  if (flags.booleans.has('json')) {
    console.log(JSON.stringify({ deployments, notices: manifest.notices, manifest: document }));
    return deployments.some((d) => d.problem) ? 1 : 0;
  }
  for (const notice of manifest.notices) console.log(`note: ${notice}`);
  if (deployments.length === 0) {
    console.log(`A push of ${repo}:${tag} registers nothing: no ecr_triggers entry matches that repository and tag.`);
    return 0;
  }
  console.log(`A push of ${repo}:${tag} (${digest.slice(0, 19)}...) registers ${deployments.length} deployment(s):`);
  for (const d of deployments) {
    const b = d.body;
    console.log(`\n  ${d.flow}/${d.name}${b ? `  version ${b.version}` : ''}`);
    console.log(`    image       ${d.image}`);
    console.log(`                (${d.imageSource})`);
    console.log(`    paused      ${d.paused}`);
    if (d.problem) console.log(`    PROBLEM     ${d.problem}`);
    if (!b) continue;
    console.log(`    work pool   ${b.work_pool_name}${b.work_queue_name ? ` (queue ${b.work_queue_name})` : ''}`);
    console.log(`    schedules   ${b.schedules?.length ? b.schedules.map((s) => JSON.stringify(s)).join(', ') : 'none'}`);
    console.log(`    pull steps  ${JSON.stringify(b.pull_steps)}`);
    const extra = Object.keys(b.job_variables ?? {}).filter((k) => k !== 'image');
    if (extra.length) console.log(`    job vars    ${JSON.stringify(Object.fromEntries(extra.map((k) => [k, b.job_variables![k]])))}`);
    if (d.resolvedAtRegistration.length) console.log(`    from Prefect at registration (blocks, variables): ${d.resolvedAtRegistration.join(', ')}`);
    if (d.resolvedAtRunTime.length) console.log(`    resolved when the flow run starts: ${d.resolvedAtRunTime.join(', ')}`);
  }
  return deployments.some((d) => d.problem) ? 1 : 0;
});
