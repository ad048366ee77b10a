/**
 * README.md tells the truth about the commands: its generated blocks are what the commands print
 * now (npm run readme), and its example commands run as written, in order, in a scratch copy of
 * the project (publish against moto_server, deploy against a stand-in SAM CLI). Following the
 * README ends with the stack it describes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { generateReadme } from '../../scripts/lib/readme/generate';
import { scratchProject, type ScratchProject } from '../../scripts/lib/scratchProject';
import { fakeSam } from '../support/fakeSam';
import { startMotoServer, type MotoServer } from '../support/motoServer';

const readme = fs.readFileSync('README.md', 'utf8');

/** The README's shell examples: every line of its ```bash blocks (a trailing "\" joins lines). */
function bashLines(text: string): string[] {
  const blocks = [...text.matchAll(/```bash\n([\s\S]*?)```/g)].map((m) => m[1]!);
  return blocks.flatMap((block) => block.replace(/\\\n\s*/g, ' ').split('\n').map((line) => line.trim()).filter(Boolean));
}

/** The README's stack.config.yaml example: the yaml block that says it is that file. */
const configExample = () => [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!).find((block) => block.startsWith('# stack.config.yaml'))!;

/** Lines run differently, or not at all, and why. */
const INSTEAD: Readonly<Record<string, string>> = {
  'npm ci && npm run synth   # install; synthesize, bundle and validate everything into build/': 'npm run synth', // node_modules is linked, not installed
};
const NOT_RUN: Readonly<Record<string, string>> = {
  'npm test                  # every test (unit, cfn-lint, cfn-guard, moto_server)': 'this is the test suite itself',
  'aws iam create-service-linked-role --aws-service-name ecs.amazonaws.com': 'the AWS CLI against a real account',
};

describe('README.md', () => {
  it('has generated blocks that match what the commands print now (npm run readme)', async () => {
    const { text, changed } = await generateReadme(readme);
    expect(changed).toEqual([]);
    expect(text).toBe(readme);
  }, 600_000);

  describe('examples, run as written in order', () => {
    let project: ScratchProject;
    let moto: MotoServer;
    const sam = fakeSam();
    const lines = bashLines(readme).filter((line) => !(line in NOT_RUN));
    const env = () => ({ ...sam.env, AWS_ENDPOINT_URL: moto.endpoint, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing' });

    beforeAll(async () => {
      project = scratchProject();
      moto = await startMotoServer();
    });
    afterAll(async () => {
      project?.remove();
      await moto?.stop();
    });

    it('knows every example: each is a command of this project, or named with the reason it is not run', () => {
      expect(lines.filter((line) => !line.startsWith('npm run ') && !(line in INSTEAD))).toEqual([]);
      for (const command of ['synth', 'deploy', 'publish', 'launch-url', 'preview-registration', 'cost']) {
        expect(lines.some((line) => line.includes(`npm run ${command}`))).toBe(true);
      }
    });

    it.each(bashLines(readme).filter((line) => !(line in NOT_RUN)))('%s', async (line) => {
      if (line.startsWith('npm run deploy') && !fs.existsSync(path.join(project.dir, 'stack.config.yaml'))) {
        // The README's "Synth options" section comes before Deploy: the reader has written stack.config.yaml.
        fs.writeFileSync(path.join(project.dir, 'stack.config.yaml'), configExample());
      }
      const result = await project.shell(INSTEAD[line] ?? line, env());
      // npm's complaint about a setting in the machine's own npmrc (or its env form when npm runs npm) is not the command's output.
      const stderr = result.stderr.split('\n').filter((l) => !/^npm warn Unknown (user|env) config /.test(l)).join('\n').trim();
      expect({ line, code: result.code, stderr }).toEqual({ line, code: 0, stderr: '' });
    }, 300_000);

    it('ends with the stack the README describes: the manifest stored, the options as defaults, SAM given the arguments', () => {
      const template = JSON.parse(fs.readFileSync(path.join(project.dir, 'build', 'worker.template.json'), 'utf8'));
      expect(template.Parameters.WatchedRepositories.Default).toBe('flows/etl,flows/reports');
      expect(template.Parameters.MaxWorkers.Default).toBe(5);
      expect(template.Parameters.WorkerSize.Default).toBe('1024/2048');
      expect(sam.calls()).toEqual(['deploy', 'deploy --config-env prod --no-confirm-changeset']);
    });
  });
});
