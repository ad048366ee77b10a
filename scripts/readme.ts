/**
 * npm run readme [-- --check]
 *
 * Regenerates the marked blocks of README.md (cost table, template sizes, command reference)
 * from the commands' own output, run in a scratch copy of the project; --check changes nothing
 * and fails when README.md differs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { defineCommand } from './lib/cli/flags';
import { runCommand } from './lib/cli/runCommand';
import { ReadmeError } from './lib/errors';
import { ROOT } from './lib/paths';
import { README_BLOCKS } from './lib/readme/blocks';
import { generateReadme } from './lib/readme/generate';

const README = path.join(ROOT, 'README.md');

void runCommand(
  defineCommand({
    name: 'readme',
    summary:
      `Regenerates the marked blocks of README.md (${README_BLOCKS.map((b) => b.name).join(', ')}) from the commands' own output,\n` +
      'run in a scratch copy of the project (no build/, no stack.config.yaml): README figures are what the commands print.',
    flags: { check: { type: 'boolean', description: 'change nothing; fail when README.md differs from what the commands print' } },
    failure: 'a command failed, a block\'s markers are missing, or (with --check) README.md is out of date',
    run: async (flags) => {
      const { text, changed } = await generateReadme(fs.readFileSync(README, 'utf8'));
      if (flags.check) {
        if (changed.length > 0) throw new ReadmeError(`README.md is out of date in ${changed.join(', ')}: run npm run readme`);
        console.log(`README.md is up to date (${README_BLOCKS.length} generated blocks)`);
        return;
      }
      fs.writeFileSync(README, text);
      console.log(changed.length ? `README.md: rewrote ${changed.join(', ')}` : 'README.md: already up to date');
    },
  }),
);
