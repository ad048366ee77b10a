import {
  MAX_CONSOLE_URL_LENGTH,
  launchStackMarkdown,
  parseQuickCreateUrl,
  quickCreateUrl,
  validateQuickCreate,
  type QuickCreate,
} from '../../scripts/lib/publishing/launchUrl';
import { buildWorkerStack } from '../../templates/stacks/worker';

const template = buildWorkerStack();
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
    ['a NoEcho parameter', { parameters: { PrefectAuthValue: 'pnu_x' } }, /--param PrefectAuthValue is NoEcho: a launch link cannot carry a secret/],
    ['an unknown parameter', { parameters: { Nope: '1' } }, /--param Nope is not a parameter of the template/],
    ['a value outside AllowedValues', { parameters: { UseFargateSpot: 'yes' } }, /--param UseFargateSpot must be one of true\|false \(got "yes"\)/],
    ['a value breaking AllowedPattern', { parameters: { WorkerImage: 'prefecthq/prefect-aws:latest' } }, /--param WorkerImage must be pinned/],
    ['a Number under its MinValue', { parameters: { SubmissionsPerWorker: '-5' } }, /--param SubmissionsPerWorker must be at least 1 \(got "-5"\)/],
    ['a word for a Number', { parameters: { SubmissionsPerWorker: 'lots' } }, /--param SubmissionsPerWorker must be a number \(got "lots"\)/],
    ['a count its pattern refuses', { parameters: { MaxWorkers: '-5' } }, /--param MaxWorkers must be a whole number from 1 to 100 without leading zeros .*\(got "-5"\)/],
    ['more workers kept than allowed (the template\'s Rules)', { parameters: { MinWorkers: '9', MaxWorkers: '2' } }, /rule MinWorkersAtMostMaxWorkers fails for MinWorkers=9, MaxWorkers=2: MaxWorkers is 2: MinWorkers must be 2 or less\./],
    ['a combination the Rules reject', { parameters: { PrefectAuthMode: 'none', PrefectAuthSecretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:k-AbCdEf' } }, /rule NoCredentialWithoutAuth fails for PrefectAuthMode=none, PrefectAuthSecretArn=arn:aws:secretsmanager/],
    ['a name that only looks like a region', { region: 'us-east-9' }, /--region "us-east-9" is not an AWS region/],
    ['a bad region', { region: 'europe' }, /--region "europe" is not an AWS region/],
    ['a stack name CloudFormation refuses', { stackName: '1-stack' }, /--stack-name must start with a letter/],
    ['an http template URL', { templateUrl: 'http://x/t.json' }, /--template-url must be an https URL/],
  ])('rejects %s', (_name, change, message) => {
    expect(() => validateQuickCreate({ ...base, parameters: {}, ...change }, template)).toThrow(message);
  });

  it('accepts values the template allows and leaves the rest to the console form', () => {
    expect(() => validateQuickCreate({ ...base, parameters: { PrefectAuthMode: 'auth-string', PrefectApiUrl: 'https://prefect.example.com/api' } }, template)).not.toThrow();
    expect(() => validateQuickCreate({ ...base, parameters: { MinWorkers: '1', MaxWorkers: '5', PrefectAuthMode: 'api-key' } }, template)).not.toThrow();
  });

  it('renders a Markdown button', () => {
    expect(launchStackMarkdown('https://x')).toBe('[![Launch Stack](https://s3.amazonaws.com/cloudformation-examples/cloudformation-launch-stack.png)](https://x)');
  });
});
