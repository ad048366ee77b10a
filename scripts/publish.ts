/**
 * npm run publish -- --bucket-prefix P --regions r1,r2 [--version V] [--stack worker|server] [--stack-name N] [--param NAME=VALUE ...] [--force] [synth options]
 *
 * Checks everything first (flags, synth options, every --param against every template, whether
 * the version exists), then synthesizes and bundles, then uploads to `P-<region>` in every region:
 * Lambda zips at content-addressed keys, templates at `templates/<version>/` and
 * `templates/latest/`. Prints each region's quick-create URL and a Launch Stack button.
 * Uses the AWS credentials and endpoint of the environment (AWS_PROFILE, AWS_ENDPOINT_URL ...).
 */
import { S3Client } from '@aws-sdk/client-s3';
import fs from 'node:fs';
import path from 'node:path';
import { PUBLISHED_STACKS } from '../templates/stacks';
import { bundleLambdas } from './lib/bundle';
import { withScratchDir } from './lib/cli/files';
import { defineCommand } from './lib/cli/flags';
import { runCommand } from './lib/cli/runCommand';
import { checkAgainstLastSynth } from './lib/config/lastSynth';
import { resolveStackOptions, STACK_OPTION_FLAGS } from './lib/config/stackOptions';
import { FlagValueError, PublishError } from './lib/errors';
import { parseParamArgs } from './lib/parameters/values';
import { BUILD_DIR, ROOT } from './lib/paths';
import { DEFAULT_STACK_NAME, launchStackMarkdown, QUICK_CREATE_FLAGS, quickCreateUrl, validateQuickCreate, validateStackName } from './lib/publishing/launchUrl';
import { bucketName, existingVersions, objectUrl, publish, validatePublishInput, versionedKey } from './lib/publishing/publish';
import { zipFolder } from './lib/publishing/zip';

const packageVersion = () => (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

void runCommand(
  defineCommand({
    name: 'publish',
    summary:
      'Publishes the templates for one-click launch: per region, the Lambda zips and the templates go to the bucket PREFIX-<region>\n' +
      '(created if missing) at templates/<version>/ and templates/latest/; prints each region\'s quick-create URL. Everything is\n' +
      'checked before anything is bundled or uploaded. Synth options come from stack.config.yaml and the flags, as for npm run synth.',
    flags: {
      'bucket-prefix': { type: 'string', placeholder: 'PREFIX', required: true, description: 'buckets are PREFIX-<region>: 2-41 lowercase letters, digits or "-"' },
      regions: { type: 'string', placeholder: 'LIST', required: true, description: 'comma-separated AWS regions, e.g. us-east-1,eu-west-1' },
      version: { type: 'string', placeholder: 'V', description: 'version label of the templates (default: package.json version)' },
      force: { type: 'boolean', description: 'overwrite a version that is already published' },
      stack: { type: 'string', placeholder: PUBLISHED_STACKS.map((s) => s.name).join('|'), description: 'publish one stack only (default: all)' },
      ...QUICK_CREATE_FLAGS,
      ...STACK_OPTION_FLAGS,
    },
    failure: 'an input was refused before anything was uploaded (the line names it), or an AWS call failed',
    run: async (flags) => {
      const regions = flags.regions.split(',').map((r) => r.trim()).filter(Boolean);
      const version = flags.version ?? packageVersion();
      const stackName = flags['stack-name'] ?? DEFAULT_STACK_NAME;
      validatePublishInput({ bucketPrefix: flags['bucket-prefix'], regions, version });
      validateStackName(stackName);
      const only = flags.stack;
      if (only && !PUBLISHED_STACKS.some((s) => s.name === only)) throw new FlagValueError(`--stack must be one of ${PUBLISHED_STACKS.map((s) => s.name).join('|')} (got ${JSON.stringify(only)})`);
      const resolved = resolveStackOptions(flags);
      checkAgainstLastSynth(BUILD_DIR, resolved, 'publish');
      const templates = PUBLISHED_STACKS.filter((s) => !only || s.name === only).map((stack) => ({ name: stack.name, template: stack.build(resolved.options) }));

      // Every --param, against every template that has it, in every region: before any upload.
      const parameters = parseParamArgs(flags.param);
      for (const name of Object.keys(parameters)) {
        if (!templates.some((t) => name in t.template.Parameters)) throw new PublishError(`--param ${name}: no template being published has that parameter`);
      }
      const quickCreates = templates.flatMap(({ name, template }) => {
        const own = Object.fromEntries(Object.entries(parameters).filter(([p]) => p in template.Parameters));
        return regions.map((region) => {
          const templateUrl = objectUrl(bucketName(flags['bucket-prefix'], region), region, versionedKey(version, name));
          const quickCreate = { region, templateUrl, stackName, parameters: own };
          validateQuickCreate(quickCreate, template);
          return { name, region, url: quickCreateUrl(quickCreate) };
        });
      });

      const s3For = (region: string) => new S3Client({ region, forcePathStyle: Boolean(process.env.AWS_ENDPOINT_URL) });
      const existing = await existingVersions({ bucketPrefix: flags['bucket-prefix'], regions, version, s3For, names: templates.map((t) => t.name) });
      if (existing.length > 0 && !flags.force) {
        throw new PublishError(`version ${version} is already published (${existing[0]}${existing.length > 1 ? ` and ${existing.length - 1} more` : ''}): pick another --version, or add --force to overwrite it`);
      }

      console.log('bundling Lambdas');
      const published = await withScratchDir('publish', async (out) => {
        const bundles = new Map((await bundleLambdas(undefined, out)).map((b) => [`lambdas/${b.name}`, zipFolder(path.dirname(b.file))] as const));
        return publish({ bucketPrefix: flags['bucket-prefix'], regions, version, templates, bundles, s3For, progress: (line) => console.log(`  ${line}`) });
      });

      console.log(`\nPublished version ${version} to ${published.length} region(s).`);
      for (const region of published) {
        for (const t of region.templates) {
          const { url } = quickCreates.find((q) => q.name === t.name && q.region === region.region)!;
          console.log(`\n${region.region} ${t.name}`);
          console.log(`  template (${version}): ${t.versionedUrl}`);
          console.log(`  template (latest): ${t.latestUrl}`);
          console.log(`  quick-create: ${url}`);
          console.log(`  ${launchStackMarkdown(url, `Launch ${t.name} stack in ${region.region}`)}`);
        }
      }
      console.log('\nThe people who launch need s3:GetObject on these objects (same account, or a bucket policy you choose).');
    },
  }),
);
