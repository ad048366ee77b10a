/**
 * README.md tells the truth about the commands: its generated blocks are what the commands print
 * now (npm run readme), and its example commands run as written, in order, in a scratch copy of
 * the project (publish against moto_server, deploy against a stand-in SAM CLI). Following the
 * README ends with the stack it describes. One copy serves both: the figures are made first, in
 * the copy as a fresh clone has it, with the README's own first command (npm run synth).
 */
import fs from 'node:fs';
import path from 'node:path';
import { README_BLOCKS } from '../../scripts/lib/readme/blocks';
import { generateReadme } from '../../scripts/lib/readme/generate';
import { scratchProject, type ScratchProject } from '../../scripts/lib/scratchProject';
import { fakeSam } from '../support/fakeSam';
import { startMotoServer, type MotoServer } from '../support/motoServer';

const readme = fs.readFileSync('README.md', 'utf8');
/** Synth runs every validator (CloudFormation Validate under a parameter matrix included). */
const SYNTH_TIMEOUT_MS = 600_000;

/** The README's shell examples: each line of its ```bash blocks, without its comment. */
function bashCommands(text: string): string[] {
  const blocks = [...text.matchAll(/```bash\n([\s\S]*?)```/g)].map((m) => m[1]!);
  return blocks.flatMap((block) => block.split('\n').map((line) => line.replace(/\s+#.*$/, '').trim()).filter(Boolean));
}

/** The README's stack.config.yaml example: the yaml block that says it is that file. */
const configExample = () => [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!).find((block) => block.startsWith('# stack.config.yaml'))!;

/** Examples not run as written, and why. Anything else must be `npm run <command>`. */
const NOT_RUN: Readonly<Record<string, string>> = {
  'npm ci && npm run synth': 'node_modules is linked, not installed; npm run synth has run in this copy to make the figures',
  'npm test': 'this is the test suite itself',
  'aws iam create-service-linked-role --aws-service-name ecs.amazonaws.com': 'the AWS CLI against a real account',
};
const commands = bashCommands(readme);
const runnable = commands.filter((command) => !(command in NOT_RUN) && command.startsWith('npm run '));

describe('README.md', () => {
  let project: ScratchProject;
  let moto: MotoServer;
  const sam = fakeSam();
  const env = () => ({ ...sam.env, AWS_ENDPOINT_URL: moto.endpoint, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing' });

  beforeAll(async () => {
    project = scratchProject();
    moto = await startMotoServer();
  });
  afterAll(async () => {
    project?.remove();
    await moto?.stop();
  });

  it('has generated blocks that match what the commands print now (npm run readme)', async () => {
    const { text, changed } = await generateReadme(readme, README_BLOCKS, project);
    expect(changed).toEqual([]);
    expect(text).toBe(readme);
    expect(fs.existsSync(path.join(project.dir, 'build', 'worker.template.json'))).toBe(true); // npm run synth ran, as the README's first command says
  }, SYNTH_TIMEOUT_MS);

  it('knows every example: each is a command of this project, or named with the reason it is not run', () => {
    expect(commands.filter((command) => !(command in NOT_RUN) && !command.startsWith('npm run '))).toEqual([]);
    for (const command of ['deploy', 'publish', 'launch-url', 'preview-registration', 'cost']) {
      expect(runnable.some((line) => line.startsWith(`npm run ${command}`))).toBe(true);
    }
  });

  it.each(runnable)('runs as written: %s', async (command) => {
    if (command.startsWith('npm run deploy') && !fs.existsSync(path.join(project.dir, 'stack.config.yaml'))) {
      // The README's "Synth options" section comes before Deploy: the reader has written stack.config.yaml.
      fs.writeFileSync(path.join(project.dir, 'stack.config.yaml'), configExample());
    }
    const result = await project.shell(command, env());
    // npm's complaint about a setting in the machine's own npmrc (or its env form when npm runs npm) is not the command's output.
    const stderr = result.stderr.split('\n').filter((l) => !/^npm warn Unknown (user|env) config /.test(l)).join('\n').trim();
    expect({ command, code: result.code, stderr }).toEqual({ command, code: 0, stderr: '' });
  }, SYNTH_TIMEOUT_MS);

  it('ends with the stack the README describes: the manifest stored, the options as defaults, SAM given the arguments', () => {
    const template = JSON.parse(fs.readFileSync(path.join(project.dir, 'build', 'worker.template.json'), 'utf8'));
    expect(template.Parameters.WatchedRepositories.Default).toBe('flows/etl,flows/reports');
    expect(String(template.Parameters.MaxWorkers.Default)).toBe('5');
    expect(template.Parameters.WorkerSize.Default).toBe('1024/2048');
    expect(sam.calls()).toEqual(['deploy --config-env prod --no-confirm-changeset']);
  });
});
