import { LaunchUrlError } from '../../scripts/lib/errors';
import {
  MAX_CONSOLE_URL_LENGTH,
  launchStackMarkdown,
  parseParamArgs,
  parseQuickCreateUrl,
  quickCreateUrl,
  validateQuickCreate,
  type QuickCreate,
} from '../../scripts/lib/publishing/launchUrl';
import { buildWorkerStack } from '../../templates/stacks/worker';

const parameters = buildWorkerStack().Parameters;
const base: QuickCreate = {
  region: 'eu-west-1',
  templateUrl: 'https://pes-eu-west-1.s3.eu-west-1.amazonaws.com/templates/0.1.0/worker.template.json',
  stackName: 'prefect-workers',
  parameters: { WorkPoolName: 'etl pool?&=', PrefectAuthMode: 'auth-string', PrefectApiUrl: 'https://prefect.example.com/api' },
};

describe('quick-create URL', () => {
  it('decodes back to its parts, whatever characters the values hold', () => {
    const url = quickCreateUrl(base);
    expect(url.startsWith('https://eu-west-1.console.aws.amazon.com/cloudformation/home?region=eu-west-1#/stacks/quickcreate?')).toBe(true);
    expect(parseQuickCreateUrl(url)).toEqual(base);
    expect(url.length).toBeLessThan(MAX_CONSOLE_URL_LENGTH);
  });

  it('uses the console of the partition', () => {
    expect(quickCreateUrl({ ...base, region: 'cn-north-1' })).toMatch(/^https:\/\/console\.amazonaws\.cn\//);
    expect(quickCreateUrl({ ...base, region: 'us-gov-west-1' })).toMatch(/^https:\/\/console\.amazonaws-us-gov\.com\//);
  });

  it('rejects a URL over the console limit', () => {
    expect(() => quickCreateUrl({ ...base, parameters: { WorkQueues: 'q,'.repeat(1200) } })).toThrow(/over 2048: prefill fewer parameters/);
  });

  it.each<[string, Partial<QuickCreate>, RegExp]>([
    ['a NoEcho parameter', { parameters: { PrefectAuthValue: 'pnu_x' } }, /PrefectAuthValue is NoEcho: the console cannot prefill it/],
    ['an unknown parameter', { parameters: { Nope: '1' } }, /Nope is not a parameter of the template/],
    ['a value outside AllowedValues', { parameters: { UseFargateSpot: 'yes' } }, /UseFargateSpot must be one of true\|false \(got "yes"\)/],
    ['a value breaking AllowedPattern', { parameters: { WorkerImage: 'prefecthq/prefect-aws:latest' } }, /WorkerImage does not match its pattern/],
    ['a bad region', { region: 'europe' }, /region must look like us-east-1/],
    ['an http template URL', { templateUrl: 'http://x/t.json' }, /template URL must be an https URL/],
  ])('rejects %s', (_name, change, message) => {
    expect(() => validateQuickCreate({ ...base, parameters: {}, ...change }, parameters)).toThrow(LaunchUrlError);
    expect(() => validateQuickCreate({ ...base, parameters: {}, ...change }, parameters)).toThrow(message);
  });

  it('reads NAME=VALUE arguments and renders a Markdown button', () => {
    expect(parseParamArgs(['A=1', 'B=x=y'])).toEqual({ A: '1', B: 'x=y' });
    expect(() => parseParamArgs(['novalue'])).toThrow('--param takes NAME=VALUE (got "novalue")');
    expect(launchStackMarkdown('https://x')).toBe('[![Launch Stack](https://s3.amazonaws.com/cloudformation-examples/cloudformation-launch-stack.png)](https://x)');
  });
});
