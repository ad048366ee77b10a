/**
 * npm run deploy -- [synth options] [--config-env ENV] [-- sam deploy arguments]
 *
 * The main job (synthesize with the same synth options as npm run synth, bundle, validate), then
 * `sam deploy` with samconfig.toml. When the SAM CLI is missing it says what to install instead
 * of failing obscurely.
 */
import { spawnSync } from 'node:child_process';
import { defineCommand } from './lib/cli/flags';
import { runCommand } from './lib/cli/runCommand';
import { checkAgainstLastSynth } from './lib/config/lastSynth';
import { optionArguments, resolveStackOptions, STACK_OPTION_FLAGS } from './lib/config/stackOptions';
import { BUILD_DIR } from './lib/paths';

function run(command: string, args: readonly string[]): number {
  const result = spawnSync(command, args, { stdio: 'inherit' });
  return result.status ?? 1;
}

function samInstalled(): boolean {
  const probe = spawnSync('sam', ['--version'], { encoding: 'utf8' });
  return !probe.error && probe.status === 0;
}

const SAM_MISSING = [
  'deploy: the AWS SAM CLI (`sam`) is not installed or not on PATH; nothing was synthesized or deployed.',
  'Install it, then run npm run deploy again:',
  '  pip install aws-sam-cli            (any OS with Python 3.9+)',
  '  brew install aws-sam-cli           (macOS)',
  '  or the installer from https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/install-sam-cli.html',
  'Without the SAM CLI: npm run synth writes the templates to build/, and npm run publish -- --bucket-prefix P --regions R makes a one-click link.',
].join('\n');

void runCommand(
  defineCommand({
    name: 'deploy',
    summary:
      'Runs the main job (npm run synth with the same synth options: stack.config.yaml and the flags below), then sam deploy\n' +
      'with samconfig.toml. Refuses to deploy without an option the last npm run synth took from a flag (the registrar would be off).',
    flags: {
      ...STACK_OPTION_FLAGS,
      'config-env': { type: 'string', placeholder: 'ENV', description: 'the samconfig.toml environment, e.g. prod (sam deploy --config-env)' },
    },
    rest: { placeholder: 'SAM_ARGS', description: 'more arguments for sam deploy, e.g. -- --no-confirm-changeset' },
    failure: 'an option was refused, npm run synth failed, the SAM CLI is missing, or sam deploy failed (its own output says why)',
    run: (flags, rest) => {
      // Everything that can refuse is checked before the main job runs.
      checkAgainstLastSynth(BUILD_DIR, resolveStackOptions(flags), 'deploy');
      if (!samInstalled()) {
        console.error(SAM_MISSING);
        return 1;
      }
      if (run('npm', ['run', '-s', 'synth', '--', ...optionArguments(flags)]) !== 0) {
        console.error('deploy: npm run synth failed; nothing was deployed.');
        return 1;
      }
      const configEnv = flags['config-env'];
      return run('sam', ['deploy', ...(configEnv ? ['--config-env', configEnv] : []), ...rest]);
    },
  }),
);
