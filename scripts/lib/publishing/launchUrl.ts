/**
 * The console "quick-create" link that launches a published template in one click, with
 * non-secret parameters prefilled. Pure: the same inputs give the same URL.
 */
import { LaunchUrlError } from '../errors';

export const LAUNCH_STACK_BUTTON = 'https://s3.amazonaws.com/cloudformation-examples/cloudformation-launch-stack.png';
/** Stay well under what browsers and the console accept for a link (2,048 is the common floor). */
export const MAX_CONSOLE_URL_LENGTH = 2048;

export interface QuickCreate {
  readonly region: string;
  readonly templateUrl: string;
  readonly stackName: string;
  readonly parameters: Readonly<Record<string, string>>;
}

export interface TemplateParameters {
  readonly [name: string]: { readonly NoEcho?: boolean; readonly AllowedValues?: readonly unknown[]; readonly AllowedPattern?: string };
}

const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;
const STACK_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9-]{0,127}$/;

export function consoleDomain(region: string): string {
  if (region.startsWith('cn-')) return 'console.amazonaws.cn';
  if (region.startsWith('us-gov-')) return 'console.amazonaws-us-gov.com';
  return `${region}.console.aws.amazon.com`;
}

/** Checks the inputs against the template's parameters: real names, no NoEcho, allowed values. */
export function validateQuickCreate(q: QuickCreate, parameters: TemplateParameters): void {
  if (!REGION.test(q.region)) throw new LaunchUrlError(`region must look like us-east-1 (got ${JSON.stringify(q.region)})`);
  if (!STACK_NAME_PATTERN.test(q.stackName)) throw new LaunchUrlError(`stack name must start with a letter and use letters, digits and "-" (got ${JSON.stringify(q.stackName)})`);
  if (!/^https:\/\/\S+$/.test(q.templateUrl)) throw new LaunchUrlError(`template URL must be an https URL (got ${JSON.stringify(q.templateUrl)})`);
  for (const [name, value] of Object.entries(q.parameters)) {
    const definition = parameters[name];
    if (!definition) throw new LaunchUrlError(`parameter ${name} is not a parameter of the template (known: ${Object.keys(parameters).join(', ')})`);
    if (definition.NoEcho) throw new LaunchUrlError(`parameter ${name} is NoEcho: the console cannot prefill it; leave it to the person launching`);
    if (definition.AllowedValues && !definition.AllowedValues.map(String).includes(value)) {
      throw new LaunchUrlError(`parameter ${name} must be one of ${definition.AllowedValues.join('|')} (got ${JSON.stringify(value)})`);
    }
    if (definition.AllowedPattern && !new RegExp(definition.AllowedPattern).test(value)) {
      throw new LaunchUrlError(`parameter ${name} does not match its pattern ${definition.AllowedPattern} (got ${JSON.stringify(value)})`);
    }
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

/** `K=V` arguments into a record; a malformed one names itself. */
export function parseParamArgs(args: readonly string[]): Record<string, string> {
  const parameters: Record<string, string> = {};
  for (const arg of args) {
    const eq = arg.indexOf('=');
    if (eq <= 0) throw new LaunchUrlError(`--param takes NAME=VALUE (got ${JSON.stringify(arg)})`);
    parameters[arg.slice(0, eq)] = arg.slice(eq + 1);
  }
  return parameters;
}
