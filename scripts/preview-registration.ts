/**
 * npm run preview-registration -- --manifest FILE --repo R --tag T --digest sha256:... [--account A --region R] [--json]
 *
 * What a push of R:T (digest D) would register, from the manifest alone, with no network.
 */
import fs from 'node:fs';
import { parseManifest } from '../lambdas/registrar/manifest';
import { DIGEST, planRegistration } from '../lambdas/registrar/plan';
import { parseFlags, runCli } from './lib/args';
import { UsageError } from './lib/errors';

const USAGE = 'npm run preview-registration -- --manifest FILE --repo R --tag T --digest sha256:... [--account A --region R] [--work-pool P] [--json]';

void runCli('preview-registration', USAGE, () => {
  const flags = parseFlags(process.argv.slice(2), { values: ['manifest', 'repo', 'tag', 'digest', 'account', 'region', 'work-pool'], booleans: ['json'] });
  const { manifest: file, repo, tag, digest } = flags.values;
  if (!file || !repo || !tag || !digest) throw new UsageError('--manifest, --repo, --tag and --digest are required');
  if (!DIGEST.test(digest)) throw new UsageError(`--digest must be sha256: and 64 hex characters (got ${JSON.stringify(digest)})`);
  if (!fs.existsSync(file)) throw new UsageError(`--manifest ${file} does not exist`);
  const manifest = parseManifest(fs.readFileSync(file, 'utf8'), file);
  const pushed = { account: flags.values.account ?? '123456789012', region: flags.values.region ?? 'us-east-1', repository: repo, tag, digest };
  const plans = planRegistration(manifest, pushed, flags.values['work-pool'] ?? 'ecs-pool');
  const deployments = plans.map((p) => ({
    flow: p.flow,
    name: p.name,
    image: p.image,
    version: p.version,
    workPool: p.workPool,
    workQueue: p.workQueue,
    jobVariables: p.jobVariables,
    pullSteps: p.pullSteps,
    schedules: p.schedules,
  }));
  if (flags.booleans.has('json')) {
    console.log(JSON.stringify({ deployments }));
    return 0;
  }
  if (deployments.length === 0) {
    console.log(`A push of ${repo}:${tag} registers nothing: no ecr_triggers entry matches that repository and tag.`);
    return 0;
  }
  console.log(`A push of ${repo}:${tag} (${digest.slice(0, 19)}...) registers ${deployments.length} deployment(s):`);
  for (const d of deployments) {
    console.log(`\n  ${d.flow}/${d.name}  version ${d.version}`);
    console.log(`    image       ${d.image}`);
    console.log(`    work pool   ${d.workPool}${d.workQueue ? ` (queue ${d.workQueue})` : ''}`);
    console.log(`    schedules   ${d.schedules.length === 0 ? 'none' : d.schedules.map((s) => JSON.stringify(s)).join(', ')}`);
    console.log(`    pull steps  ${JSON.stringify(d.pullSteps)}`);
    const extra = Object.keys(d.jobVariables).filter((k) => k !== 'image');
    if (extra.length) console.log(`    job vars    ${JSON.stringify(Object.fromEntries(extra.map((k) => [k, d.jobVariables[k]])))}`);
  }
  return 0;
});
