/**
 * npm run launch-url -- --template-url URL --region R [--stack-name N] [--param NAME=VALUE ...] [--template FILE]
 *
 * Prints the console quick-create URL for a published template, with non-secret parameters
 * prefilled, and a Markdown "Launch Stack" button; checks the values against the template first.
 */
import { parseCfnYaml } from '../templates/core/serialize';
import { readInputFile } from './lib/cli/files';
import { defineCommand } from './lib/cli/flags';
import { runCommand } from './lib/cli/runCommand';
import { InputFileError } from './lib/errors';
import { templatePath } from './lib/paths';
import { DEFAULT_STACK_NAME, launchStackMarkdown, QUICK_CREATE_FLAGS, quickCreateUrl, validateQuickCreate } from './lib/publishing/launchUrl';
import { parseParamArgs, type CheckedTemplate } from './lib/parameters/values';

/** A template in either form synth writes: JSON, or YAML with CloudFormation short tags. */
function readTemplate(file: string, what: string, fix?: string): CheckedTemplate {
  const text = readInputFile(file, what, fix);
  let template: unknown;
  try {
    template = text.trimStart().startsWith('{') ? JSON.parse(text) : parseCfnYaml(text);
  } catch (error) {
    throw new InputFileError(what, file, `is not a JSON or YAML template (${(error as Error).message.split('\n')[0]})`);
  }
  if (!template || typeof template !== 'object' || !('Parameters' in template)) throw new InputFileError(what, file, 'is not a CloudFormation template with Parameters');
  return template as CheckedTemplate;
}

void runCommand(
  defineCommand({
    name: 'launch-url',
    summary:
      'Prints the console quick-create URL of a published template, with non-secret parameters prefilled, and a Markdown\n' +
      '"Launch Stack" button. Every --param is checked against the template first: a real parameter, not NoEcho, its type,\n' +
      'range, pattern and allowed values, and the template\'s Rules for the values given (the rest is left to the console form).',
    flags: {
      'template-url': { type: 'string', placeholder: 'URL', required: true, description: 'https URL of the published template (npm run publish prints it)' },
      region: { type: 'string', placeholder: 'REGION', required: true, description: 'the region to launch in; the template and its Lambda code must be there' },
      ...QUICK_CREATE_FLAGS,
      template: { type: 'string', placeholder: 'FILE', description: 'the template to check against, JSON or YAML (default build/worker.template.json)' },
    },
    failure: 'a value was refused (the line names the flag or parameter, the value and what is allowed) or the template is unreadable',
    run: (flags) => {
      const file = flags.template ?? templatePath('worker', 'json');
      const template = flags.template ? readTemplate(file, '--template') : readTemplate(file, file, 'run npm run synth, or pass --template FILE');
      const quickCreate = { region: flags.region, templateUrl: flags['template-url'], stackName: flags['stack-name'] ?? DEFAULT_STACK_NAME, parameters: parseParamArgs(flags.param) };
      const outcomes = validateQuickCreate(quickCreate, template);
      for (const outcome of outcomes.filter((o) => o.undecided.some((reason) => reason.includes('AWS account')))) {
        console.error(`launch-url: note: rule ${outcome.rule} depends on your AWS account; CloudFormation checks it at launch`);
      }
      const url = quickCreateUrl(quickCreate);
      console.log(url);
      console.log(launchStackMarkdown(url));
    },
  }),
);
