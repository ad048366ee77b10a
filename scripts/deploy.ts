/**
 * npm run deploy -- [sam deploy arguments, e.g. --config-env prod]
 *
 * The main job (synthesize, bundle, validate), then `sam deploy` with samconfig.toml. When the
 * SAM CLI is missing it says what to install instead of failing obscurely.
 */
import { spawnSync } from 'node:child_process';

function run(command: string, args: string[]): number {
  const result = spawnSync(command, args, { stdio: 'inherit' });
  if (result.error && (result.error as NodeJS.ErrnoException).code === 'ENOENT') return -1;
  return result.status ?? 1;
}

function samInstalled(): boolean {
  const probe = spawnSync('sam', ['--version'], { encoding: 'utf8' });
  return !probe.error && probe.status === 0;
}

const synth = run('npm', ['run', '-s', 'synth']);
if (synth !== 0) {
  console.error('deploy: npm run synth failed; nothing was deployed.');
  process.exit(1);
}
if (!samInstalled()) {
  console.error(
    [
      'deploy: the AWS SAM CLI (`sam`) is not installed or not on PATH; the templates are ready in build/.',
      'Install it, then run npm run deploy again:',
      '  pip install aws-sam-cli            (any OS with Python 3.9+)',
      '  brew install aws-sam-cli           (macOS)',
      '  or the installer from https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/install-sam-cli.html',
      'Without the SAM CLI, use the one-click link instead: npm run publish -- --bucket-prefix P --regions R',
    ].join('\n'),
  );
  process.exit(1);
}
process.exit(run('sam', ['deploy', ...process.argv.slice(2)]));
