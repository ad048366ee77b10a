/**
 * npm run launch-url -- --template-url URL --region R [--stack-name N] [--param NAME=VALUE ...] [--template FILE]
 *
 * Prints the console quick-create URL for a published template, with non-secret parameters
 * prefilled, and a Markdown "Launch Stack" button. Parameters are checked against the template
 * (default build/worker.template.json): real names, not NoEcho, allowed values.
 */
import fs from 'node:fs';
import { parseFlags, runCli } from './lib/args';
import { MissingFileError, UsageError } from './lib/errors';
import { launchStackMarkdown, parseParamArgs, quickCreateUrl, validateQuickCreate, type QuickCreate, type TemplateParameters } from './lib/publishing/launchUrl';
import { templatePath } from './lib/paths';

const USAGE = 'npm run launch-url -- --template-url URL --region R [--stack-name N] [--param NAME=VALUE ...] [--template FILE]';

function readTemplateParameters(file: string): TemplateParameters {
  if (!fs.existsSync(file)) throw new MissingFileError(file, file, 'run npm run synth, or pass --template FILE');
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { Parameters?: TemplateParameters }).Parameters ?? {};
}

void runCli('launch-url', USAGE, () => {
  const flags = parseFlags(process.argv.slice(2), { values: ['template-url', 'region', 'stack-name', 'template'], repeated: ['param'] });
  const templateUrl = flags.values['template-url'];
  const region = flags.values.region;
  if (!templateUrl || !region) throw new UsageError('--template-url and --region are required');
  const quickCreate: QuickCreate = {
    region,
    templateUrl,
    stackName: flags.values['stack-name'] ?? 'prefect-workers',
    parameters: parseParamArgs(flags.lists.param ?? []),
  };
  validateQuickCreate(quickCreate, readTemplateParameters(flags.values.template ?? templatePath('worker', 'json')));
  const url = quickCreateUrl(quickCreate);
  console.log(url);
  console.log(launchStackMarkdown(url));
  return 0;
});
