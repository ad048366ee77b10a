/**
 * The README's command reference: the `--help` of every command, as each prints it. A command
 * is every npm script that runs a file under scripts/, so a new one cannot be left out.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../paths';
import type { ScratchProject } from '../scratchProject';

export function commandScripts(): string[] {
  const scripts = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  return Object.entries(scripts)
    .filter(([, line]) => /(^|&& )tsx scripts\/\S+\.ts$/.test(line))
    .map(([name]) => name);
}

export async function renderCommandReference(project: ScratchProject): Promise<string> {
  const helps = await Promise.all(commandScripts().map(async (name) => [name, await project.npmOk(name, ['--help'])] as const));
  return helps.map(([name, help]) => `<details><summary><code>npm run ${name}</code></summary>\n\n\`\`\`text\n${help.trimEnd()}\n\`\`\`\n\n</details>`).join('\n');
}
