/**
 * The console "quick-create" link that launches a published template in one click, with
 * non-secret parameters prefilled. Pure: the same inputs give the same URL.
 */
import type { Flag } from '../cli/flags';
import { LaunchUrlError } from '../errors';
import { isKnownRegion, regionPseudoParameters } from '../parameters/regions';
import type { RuleOutcome } from '../parameters/rules';
import { checkParameterValues, type CheckedTemplate } from '../parameters/values';

export const LAUNCH_STACK_BUTTON = 'https://s3.amazonaws.com/cloudformation-examples/cloudformation-launch-stack.png';
/** Stay well under what browsers and the console accept for a link (2,048 is the common floor). */
export const MAX_CONSOLE_URL_LENGTH = 2048;

export interface QuickCreate {
  readonly region: string;
  readonly templateUrl: string;
  readonly stackName: string;
  readonly parameters: Readonly<Record<string, string>>;
}

const STACK_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9-]{0,127}$/;
export const DEFAULT_STACK_NAME = 'prefect-workers';

/** The flags of every command that prints a quick-create link (launch-url, publish). */
export const QUICK_CREATE_FLAGS = {
  'stack-name': { type: 'string', placeholder: 'NAME', description: `stack name the quick-create form proposes (default ${DEFAULT_STACK_NAME})` },
  param: { type: 'string', placeholder: 'NAME=VALUE', multiple: true, description: 'prefill a parameter in the quick-create URL of each template that has it' },
} as const satisfies Readonly<Record<string, Flag>>;

export function consoleDomain(region: string): string {
  if (region.startsWith('cn-')) return 'console.amazonaws.cn';
  if (region.startsWith('us-gov-')) return 'console.amazonaws-us-gov.com';
  return `${region}.console.aws.amazon.com`;
}

/**
 * Checks a launch link before anyone clicks it: a real region, a stack name CloudFormation
 * accepts, an https template URL, and parameter values the template accepts (types, ranges,
 * patterns, allowed values, no NoEcho, and its Rules for the values given; the others are left to
 * the console form). Returns the Rules' outcomes.
 */
export function validateQuickCreate(q: QuickCreate, template: CheckedTemplate): RuleOutcome[] {
  if (!isKnownRegion(q.region)) throw new LaunchUrlError(`--region ${JSON.stringify(q.region)} is not an AWS region (e.g. us-east-1)`);
  validateStackName(q.stackName);
  if (!/^https:\/\/\S+$/.test(q.templateUrl)) throw new LaunchUrlError(`--template-url must be an https URL (got ${JSON.stringify(q.templateUrl)})`);
  return checkParameterValues(template, q.parameters, { refuseNoEcho: true, pseudo: { ...regionPseudoParameters(q.region), 'AWS::StackName': q.stackName } });
}

export function validateStackName(stackName: string): void {
  if (!STACK_NAME_PATTERN.test(stackName)) {
    throw new LaunchUrlError(`--stack-name must start with a letter and use at most 128 letters, digits and "-" (got ${JSON.stringify(stackName)})`);
  }
}

export function quickCreateUrl(q: QuickCreate): string {
  const query = new URLSearchParams({ templateURL: q.templateUrl, stackName: q.stackName });
  for (const name of Object.keys(q.parameters).sort()) query.append(`param_${name}`, q.parameters[name]!);
  const url = `https://${consoleDomain(q.region)}/cloudformation/home?region=${q.region}#/stacks/quickcreate?${query.toString()}`;
  if (url.length > MAX_CONSOLE_URL_LENGTH) {
    throw new LaunchUrlError(`the quick-create URL is ${url.length} characters, over ${MAX_CONSOLE_URL_LENGTH}: prefill fewer parameters`);
  }
  return url;
}

/** Reads a quick-create URL back into its parts (tests, and `launch-url --decode`). */
export function parseQuickCreateUrl(url: string): QuickCreate {
  const parsed = new URL(url);
  const region = parsed.searchParams.get('region') ?? '';
  const fragment = parsed.hash.replace(/^#\/stacks\/quickcreate\?/, '');
  const query = new URLSearchParams(fragment);
  const parameters: Record<string, string> = {};
  for (const [key, value] of query) if (key.startsWith('param_')) parameters[key.slice(6)] = value;
  return { region, templateUrl: query.get('templateURL') ?? '', stackName: query.get('stackName') ?? '', parameters };
}

export const launchStackMarkdown = (url: string, label = 'Launch Stack') => `[![${label}](${LAUNCH_STACK_BUTTON})](${url})`;
