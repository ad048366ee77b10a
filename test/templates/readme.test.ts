import fs from 'node:fs';
import { PUBLISHED_STACKS } from '../../templates/stacks';

const readme = fs.readFileSync('README.md', 'utf8');

describe('README stays a true guide', () => {
  it.each(PUBLISHED_STACKS.map((s) => [s.name, s]))('documents every parameter and output of the %s stack', (_name, stack) => {
    const template = stack.build();
    for (const name of [...Object.keys(template.Parameters), ...Object.keys(template.Outputs)]) {
      expect(readme).toContain(`\`${name}\``);
    }
  });

  it('names the two set-up commands and the test command that .ci/run calls', () => {
    expect(readme).toContain('npm ci && npm run synth');
    expect(readme).toContain('npm test');
    expect(fs.readFileSync('.ci/run', 'utf8')).toMatch(/^npm test$/m);
  });
});
