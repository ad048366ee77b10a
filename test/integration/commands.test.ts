/**
 * Every command of scripts/, run as a user would (in a scratch copy of the project, no AWS): one
 * convention for --help, unknown flags and errors, and the refusal of each bad input the issue
 * found, with its exit status and its one line.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { commandScripts } from '../../scripts/lib/readme/commandReference';
import { scratchProject, type CommandResult, type ScratchProject } from '../../scripts/lib/scratchProject';

let project: ScratchProject;
const scripts = JSON.parse(fs.readFileSync('package.json', 'utf8')).scripts as Record<string, string>;
const fileOf = (name: string) => /tsx (scripts\/\S+\.ts)$/.exec(scripts[name]!)![1]!;
// Any AWS call would go to a closed loopback port with dummy credentials: nothing leaves the machine.
const ENV = { ...process.env, AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_REGION: 'us-east-1' };
const run = (name: string, args: string[]) => project.tsx(fileOf(name), args, ENV);

/** Runs at most four commands at a time (two cores; each is a Node process). */
async function runAll<T>(items: readonly T[], work: (item: T) => Promise<CommandResult>): Promise<CommandResult[]> {
  const results: CommandResult[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: 4 }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!);
    }
  }));
  return results;
}

const DIGEST = `sha256:${'ab'.repeat(32)}`;
const LAUNCH = ['--template-url', 'https://b.s3.us-east-1.amazonaws.com/t.json', '--region', 'us-east-1', '--template', 'test/fixtures/missing.json'];
const PUBLISH = ['--bucket-prefix', 'pes-cli', '--regions', 'us-east-1'];
const PREVIEW = ['--manifest', 'prefect.yaml', '--repo', 'flows/etl', '--tag', 'v1', '--digest', DIGEST];

/** [command, arguments, exit status, the one line on stderr] */
const BAD_INPUT: readonly (readonly [string, readonly string[], 1 | 2, RegExp])[] = [
  ['synth', ['--max-workers', 'lots'], 1, /^synth: --max-workers must be a whole number from 1 to 100 \(got "lots"\)$/],
  ['synth', ['--manifest', 'scripts'], 1, /^synth: --manifest scripts is a directory, not a file$/],
  ['synth', ['--stack-config', 'nope.yaml'], 1, /^synth: --stack-config nope\.yaml does not exist$/],
  ['deploy', ['--worker-size', '300/512'], 1, /^deploy: --worker-size must be a valid Fargate "cpu\/memory" pair .*\(got "300\/512"\)$/],
  ['deploy', ['--config-env'], 2, /^deploy: --config-env needs a value$/],
  ['publish', ['--bucket-prefix', 'pes-cli'], 2, /^publish: --regions is required$/],
  ['publish', ['--bucket-prefix', 'Bad_Prefix', '--regions', 'us-east-1'], 1, /^publish: --bucket-prefix must be 2-41 lowercase letters, digits or "-" \(got "Bad_Prefix"\)$/],
  ['publish', ['--bucket-prefix', 'pes-cli', '--regions', 'us-east-1,us-east-9'], 1, /^publish: --regions has "us-east-9", which is not an AWS region/],
  ['publish', [...PUBLISH, '--stack-name', '1-stack'], 1, /^publish: --stack-name must start with a letter/],
  ['publish', [...PUBLISH, '--stack', 'nope'], 1, /^publish: --stack must be one of worker\|server \(got "nope"\)$/],
  ['publish', [...PUBLISH, '--param', 'PrefectAuthValue=pnu_secret'], 1, /^publish: --param PrefectAuthValue is NoEcho: a launch link cannot carry a secret/],
  ['publish', [...PUBLISH, '--param', 'MaxWorkers=lots'], 1, /^publish: --param MaxWorkers must be a whole number from 1 to 100 without leading zeros \(pattern .*\) \(got "lots"\)$/],
  ['publish', [...PUBLISH, '--param', 'MinWorkers=9', '--param', 'MaxWorkers=2'], 1, /^publish: rule MinWorkersAtMostMaxWorkers fails for MinWorkers=9, MaxWorkers=2: MaxWorkers is 2: MinWorkers must be 2 or less\.$/],
  ['publish', [...PUBLISH, '--param', 'Nope=1'], 1, /^publish: --param Nope: no template being published has that parameter$/],
  ['launch-url', ['--template-url', 'https://b/t.json'], 2, /^launch-url: --region is required$/],
  ['launch-url', [...LAUNCH.slice(0, 4), '--template', 'scripts'], 1, /^launch-url: --template scripts is a directory, not a file$/],
  ['launch-url', LAUNCH, 1, /^launch-url: --template test\/fixtures\/missing\.json does not exist$/],
  ['launch-url', [...LAUNCH.slice(0, 4), '--template', 'prefect.yaml'], 1, /^launch-url: --template prefect\.yaml is not a CloudFormation template with Parameters$/],
  ['launch-url', [...LAUNCH.slice(0, 4), '--param', 'MaxWorkers=-5', '--template', 'templates-built.json'], 1, /^launch-url: --param MaxWorkers must be a whole number from 1 to 100 without leading zeros \(pattern .*\) \(got "-5"\)$/],
  ['launch-url', [...LAUNCH.slice(0, 4), '--param', 'MinWorkers=9', '--param', 'MaxWorkers=2', '--template', 'templates-built.json'], 1, /^launch-url: rule MinWorkersAtMostMaxWorkers fails for MinWorkers=9, MaxWorkers=2/],
  ['launch-url', ['--template-url', 'https://b/t.json', '--region', 'us-east-9', '--template', 'templates-built.json'], 1, /^launch-url: --region "us-east-9" is not an AWS region/],
  ['cost', ['--stack'], 2, /^cost: --stack needs a value$/],
  ['cost', ['--stack', 'nope'], 1, /^cost: --stack must be worker or server \(got "nope"\)$/],
  ['cost', ['--stack', 'server', '--param', 'DbAllocatedStorage=-100'], 1, /^cost: --param DbAllocatedStorage must be at least 20 \(got "-100"\)$/],
  ['cost', ['--stack', 'worker', '--param', 'MinWorkers=-3'], 1, /^cost: --param MinWorkers must be one of 0\|1\|.*\|10 \(got "-3"\)$/],
  ['cost', ['--stack', 'worker', '--param', 'MaxWorkers=abc'], 1, /^cost: --param MaxWorkers must be a whole number from 1 to 100 without leading zeros \(pattern .*\) \(got "abc"\)$/],
  ['cost', ['--stack', 'server', '--param', 'LoadBalancerScheme=internet-facing'], 1, /^cost: rule InternetFacingNeedsHttps fails for LoadBalancerScheme=internet-facing with the defaults of the parameters not given: /],
  ['cost', ['--stack', 'worker', '--param', 'WorkerHoursPerMonth=5000'], 1, /^cost: --param WorkerHoursPerMonth=5000 is more than MaxWorkers=3 can run in a month \(3 x 730 h = 2190 h\)/],
  ['preview-registration', ['--manifest', 'prefect.yaml'], 2, /^preview-registration: --repo, --tag and --digest are required$/],
  ['preview-registration', [...PREVIEW, '--account', '12345'], 1, /^preview-registration: --account must be a 12-digit AWS account ID \(got "12345"\)$/],
  ['preview-registration', [...PREVIEW, '--region', 'mars-east-1'], 1, /^preview-registration: --region "mars-east-1" is not an AWS region/],
  ['preview-registration', [...PREVIEW.slice(0, 6), '--digest', 'sha256:123'], 1, /^preview-registration: --digest must be sha256: and 64 hex characters \(got "sha256:123"\)$/],
  ['preview-registration', ['--manifest', 'scripts', ...PREVIEW.slice(2)], 1, /^preview-registration: --manifest scripts is a directory, not a file$/],
  ['bench:scaling', ['--worker-start=-1'], 1, /^bench:scaling: --worker-start must be seconds from 0 to 3600 \(got "-1"\)$/],
  ['bench:scaling', ['--trace', 'nope.json'], 1, /^bench:scaling: --trace nope\.json does not exist$/],
  ['bench:scaling', ['--trace', 'test'], 1, /^bench:scaling: --trace test is a directory, not a file$/],
  ['bench:scaling', ['--json=1'], 2, /^bench:scaling: --json takes no value$/],
  ['readme', ['extra'], 2, /^readme: unexpected argument "extra"$/],
];

let helps: CommandResult[];
let unknown: CommandResult[];
let bad: CommandResult[];

beforeAll(async () => {
  project = scratchProject();
  // A template for launch-url to check against, as npm run synth would write it.
  const { buildWorkerStack } = await import('../../templates/stacks/worker');
  const { toYaml } = await import('../../templates/core/serialize');
  fs.writeFileSync(`${project.dir}/templates-built.json`, JSON.stringify(buildWorkerStack()));
  const withManifest = buildWorkerStack({ manifest: { file: 'prefect.yaml', text: fs.readFileSync('prefect.yaml', 'utf8') } });
  fs.writeFileSync(`${project.dir}/worker-with-manifest.template.yaml`, toYaml(withManifest));
  const names = commandScripts();
  helps = await runAll(names, (name) => run(name, ['--help']));
  unknown = await runAll(names, (name) => run(name, ['--no-such-flag']));
  bad = await runAll(BAD_INPUT, ([name, args]) => run(name, [...args]));
}, 300_000);

afterAll(() => project?.remove());

describe('every command', () => {
  it('is one of the commands the README documents', () => {
    expect(commandScripts()).toEqual(expect.arrayContaining(['synth', 'deploy', 'publish', 'launch-url', 'cost', 'preview-registration', 'bench:scaling', 'bench:lambdas', 'readme']));
  });

  it('prints its usage, flags and exit statuses on --help and exits 0', () => {
    commandScripts().forEach((name, i) => {
      expect({ name, code: helps[i]!.code, stderr: helps[i]!.stderr }).toEqual({ name, code: 0, stderr: '' });
      expect(helps[i]!.stdout).toMatch(new RegExp(`^Usage: npm run ${name} -- `));
      expect(helps[i]!.stdout).toMatch(/\nExit status:\n  0  done\n  1  .+\n  2  the command line does not parse/);
    });
  });

  it('refuses an unknown flag with exit 2, one line and the usage', () => {
    commandScripts().forEach((name, i) => {
      expect({ name, code: unknown[i]!.code }).toEqual({ name, code: 2 });
      expect(unknown[i]!.stderr).toMatch(new RegExp(`^${name}: unknown flag --no-such-flag\\nusage: npm run ${name} -- .*\\(--help lists every flag\\)\\n$`));
    });
  });
});

describe('synth', () => {
  it('prints its help through npm without the Python tools (they are installed only when it synthesizes)', () => {
    // /usr/bin holds node, npm and a python3 without cfn-lint; pip would find no index.
    const result = spawnSync('npm', ['run', '-s', 'synth', '--', '--help'], { encoding: 'utf8', env: { ...process.env, PATH: '/usr/bin', PIP_INDEX_URL: 'http://127.0.0.1:9/simple' } });
    expect([result.status, result.stdout.split('\n')[0]]).toEqual([0, 'Usage: npm run synth -- [options]']);
  });
});

describe('launch-url', () => {
  it('checks against the YAML form synth writes, and takes --flag=value', async () => {
    const args = ['--template-url=https://b.s3.eu-west-1.amazonaws.com/t.json', '--region=eu-west-1', '--template=worker-with-manifest.template.yaml', '--param=MaxWorkers=5'];
    const result = await run('launch-url', args);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^https:\/\/eu-west-1\.console\.aws\.amazon\.com\/cloudformation\/home\?region=eu-west-1#\/stacks\/quickcreate\?templateURL=.*&param_MaxWorkers=5\n\[!\[Launch Stack\]/);
    const refused = await run('launch-url', [...args.slice(0, 3), '--param=PrefectAuthMode=none', '--param=PrefectAuthSecretArn=arn:aws:secretsmanager:eu-west-1:123456789012:secret:k-AbCdEf']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^launch-url: rule NoCredentialWithoutAuth fails for PrefectAuthMode=none, PrefectAuthSecretArn=arn:.*: PrefectAuthMode is none/);
  });
});

describe('bad input', () => {
  it.each(BAD_INPUT.map((row, i) => [`${row[0]} ${row[1].join(' ')}`, i] as const))('%s', (_name, i) => {
    const [, , code, message] = BAD_INPUT[i]!;
    const result = bad[i]!;
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(message);
    expect(result.code).toBe(code);
    expect(lines).toHaveLength(code === 2 ? 2 : 1); // one line (plus the usage for exit 2), never a stack trace
    expect(result.stdout).toBe('');
  });
});
