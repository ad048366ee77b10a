/**
 * npm run publish -- --bucket-prefix P --regions r1,r2 [--version V] [--stack worker|server] [--stack-name N] [--param NAME=VALUE ...]
 *
 * Synthesizes and bundles, then uploads to `P-<region>` in every region: Lambda zips at
 * content-addressed keys, templates at `templates/<version>/` and `templates/latest/`. Prints
 * each region's quick-create URL (non-secret parameters prefilled) and a Launch Stack button.
 * Uses the AWS credentials and endpoint of the environment (AWS_PROFILE, AWS_ENDPOINT_URL ...).
 */
import { S3Client } from '@aws-sdk/client-s3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PUBLISHED_STACKS } from '../templates/stacks';
import { parseFlags, runCli } from './lib/args';
import { UsageError } from './lib/errors';
import { bundleLambdas } from './lib/bundle';
import { launchStackMarkdown, parseParamArgs, quickCreateUrl, validateQuickCreate } from './lib/publishing/launchUrl';
import { ROOT } from './lib/paths';
import { publish, validatePublishInput } from './lib/publishing/publish';
import { zipFolder } from './lib/publishing/zip';

const USAGE = 'npm run publish -- --bucket-prefix P --regions r1,r2 [--version V] [--stack worker|server] [--stack-name N] [--param NAME=VALUE ...]';

void runCli('publish', USAGE, async () => {
  const flags = parseFlags(process.argv.slice(2), { values: ['bucket-prefix', 'regions', 'version', 'stack', 'stack-name'], repeated: ['param'] });
  const bucketPrefix = flags.values['bucket-prefix'];
  const regionList = flags.values.regions;
  if (!bucketPrefix || !regionList) throw new UsageError('--bucket-prefix and --regions are required');
  const regions = regionList.split(',').map((r) => r.trim()).filter(Boolean);
  const version = flags.values.version ?? (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  validatePublishInput({ bucketPrefix, regions, version });
  const parameters = parseParamArgs(flags.lists.param ?? []);
  const stackName = flags.values['stack-name'] ?? 'prefect-workers';

  console.log('bundling Lambdas');
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'pes-publish-'));
  const bundles = new Map((await bundleLambdas(undefined, out)).map((b) => [`lambdas/${b.name}`, zipFolder(path.dirname(b.file))] as const));
  const only = flags.values.stack;
  if (only && !PUBLISHED_STACKS.some((s) => s.name === only)) throw new UsageError(`--stack must be one of ${PUBLISHED_STACKS.map((s) => s.name).join('|')}`);
  const templates = PUBLISHED_STACKS.filter((s) => !only || s.name === only).map((stack) => ({ name: stack.name, template: stack.build() }));
  // A --param prefills every template that has it; one that no template has is a typo.
  for (const name of Object.keys(parameters)) {
    if (!templates.some((t) => name in t.template.Parameters)) throw new UsageError(`--param ${name}: no published template has that parameter`);
  }

  const published = await publish({
    bucketPrefix,
    regions,
    version,
    templates,
    bundles,
    s3For: (region) => new S3Client({ region, forcePathStyle: Boolean(process.env.AWS_ENDPOINT_URL) }),
    progress: (line) => console.log(`  ${line}`),
  });

  console.log(`\nPublished version ${version} to ${published.length} region(s).`);
  for (const region of published) {
    for (const t of region.templates) {
      const template = templates.find((x) => x.name === t.name)!.template;
      const own = Object.fromEntries(Object.entries(parameters).filter(([name]) => name in template.Parameters));
      const quickCreate = { region: region.region, templateUrl: t.versionedUrl, stackName, parameters: own };
      validateQuickCreate(quickCreate, template.Parameters);
      const url = quickCreateUrl(quickCreate);
      console.log(`\n${region.region} ${t.name}`);
      console.log(`  template (${version}): ${t.versionedUrl}`);
      console.log(`  template (latest): ${t.latestUrl}`);
      console.log(`  quick-create: ${url}`);
      console.log(`  ${launchStackMarkdown(url, `Launch ${t.name} stack in ${region.region}`)}`);
    }
  }
  console.log('\nThe people who launch need s3:GetObject on these objects (same account, or a bucket policy you choose).');
  return 0;
});
