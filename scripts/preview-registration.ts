/**
 * npm run preview-registration -- --manifest FILE --repo R --tag T --digest sha256:... [--account A --region R] [--work-pool P] [--json]
 *
 * What a push of R:T (digest D) would register, from the manifest alone, with no network: the
 * manifest checked as synth checks it (errors name the file, the deployment and the field), then
 * each deployment's body. --json also prints the manifest's JSON form, what the SSM parameter holds.
 */
import { readManifest } from '../lambdas/registrar/manifest/fromYaml';
import { DIGEST, planRegistration } from '../lambdas/registrar/registration/plan';
import { previewDeployment } from '../lambdas/registrar/registration/preview';
import { readInputFile } from './lib/cli/files';
import { defineCommand, type FlagValues } from './lib/cli/flags';
import { runCommand } from './lib/cli/runCommand';
import { FlagValueError } from './lib/errors';
import { ACCOUNT_ID, isKnownRegion } from './lib/parameters/regions';

const FLAGS = {
  manifest: { type: 'string', placeholder: 'FILE', required: true, description: 'your prefect.yaml with ecr_triggers' },
  repo: { type: 'string', placeholder: 'REPOSITORY', required: true, description: 'the ECR repository pushed to, e.g. flows/etl' },
  tag: { type: 'string', placeholder: 'TAG', required: true, description: 'the pushed tag' },
  digest: { type: 'string', placeholder: 'sha256:HEX', required: true, description: 'the pushed image digest (sha256: and 64 hex characters)' },
  account: { type: 'string', placeholder: 'ID', description: 'the 12-digit account of the repository (default 123456789012)' },
  region: { type: 'string', placeholder: 'REGION', description: 'the AWS region of the repository (default us-east-1)' },
  'work-pool': { type: 'string', placeholder: 'POOL', description: 'the work pool the stack\'s workers poll (default ecs-pool)' },
  json: { type: 'boolean', description: 'print the deployments, notices and the manifest\'s stored JSON form as JSON' },
} as const;

function preview(flags: FlagValues<typeof FLAGS>): number {
  const { manifest: file, repo, tag, digest } = flags;
  if (!DIGEST.test(digest)) throw new FlagValueError(`--digest must be sha256: and 64 hex characters (got ${JSON.stringify(digest)})`);
  const account = flags.account ?? '123456789012';
  if (!ACCOUNT_ID.test(account)) throw new FlagValueError(`--account must be a 12-digit AWS account ID (got ${JSON.stringify(account)})`);
  const region = flags.region ?? 'us-east-1';
  if (!isKnownRegion(region)) throw new FlagValueError(`--region ${JSON.stringify(region)} is not an AWS region (e.g. us-east-1)`);
  const workPool = flags['work-pool'] ?? 'ecs-pool';
  const { manifest, document } = readManifest(readInputFile(file, '--manifest'), file, { workPool });
  const pushed = { account, region, repository: repo, tag, digest };
  const deployments = planRegistration(manifest, pushed).map((plan) => previewDeployment(plan, workPool, manifest));
  if (flags.json) {
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
}

void runCommand(
  defineCommand({
    name: 'preview-registration',
    summary:
      'Prints what a push of REPOSITORY:TAG (digest sha256:...) would register, from the manifest alone, with no network: the\n' +
      'manifest checked as synth checks it, then each deployment\'s body.',
    flags: FLAGS,
    failure: 'an input or the manifest was refused, or a deployment has a problem (the line names the flag or the file, the deployment and the field)',
    run: (flags) => preview(flags),
  }),
);
