/**
 * A copy of the project in a temporary folder, as a fresh clone would look (no build/, no
 * stack.config.yaml), sharing node_modules by a link. The README's figures are produced there by
 * the real commands (`npm run ...`), and the README's examples run there as written, so neither
 * depends on, nor touches, the user's own build/ and options.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ToolFailedError } from './errors';
import { ROOT } from './paths';

/** Not copied: what a clone does not have, and the user's own choices. */
const LEFT_OUT = new Set(['node_modules', 'build', '.git', 'coverage', 'stack.config.yaml']);

export interface CommandResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface ScratchProject {
  readonly dir: string;
  /** `npm run -s <script> -- <args>` in the copy. */
  npm(script: string, args?: readonly string[], env?: NodeJS.ProcessEnv): Promise<CommandResult>;
  /** Like npm(), but a non-zero exit is an error that names the command and its stderr. */
  npmOk(script: string, args?: readonly string[], env?: NodeJS.ProcessEnv): Promise<string>;
  /** `tsx <file> <args>` in the copy: what `npm run` runs, without npm's start-up. */
  tsx(file: string, args?: readonly string[], env?: NodeJS.ProcessEnv): Promise<CommandResult>;
  /** Any command line in the copy, through the shell (the README's examples as written). */
  shell(commandLine: string, env?: NodeJS.ProcessEnv): Promise<CommandResult>;
  remove(): void;
}

function copyTree(from: string, to: string): void {
  fs.mkdirSync(to, { recursive: true });
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    if (LEFT_OUT.has(entry.name)) continue;
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) copyTree(source, target);
    else if (entry.isFile()) fs.copyFileSync(source, target);
  }
}

function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export function scratchProject(): ScratchProject {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pes-project-'));
  copyTree(ROOT, dir);
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  const project: ScratchProject = {
    dir,
    npm: (script, args = [], env = process.env) => run('npm', ['run', '-s', script, ...(args.length ? ['--', ...args] : [])], dir, env),
    npmOk: async (script, args = [], env = process.env) => {
      const result = await project.npm(script, args, env);
      if (result.code !== 0) throw new ToolFailedError('npm', `npm run ${script} -- ${args.join(' ')} exited ${result.code}: ${result.stderr.trim().split('\n').slice(-3).join(' ')}`);
      return result.stdout;
    },
    tsx: (file, args = [], env = process.env) => run(process.execPath, [path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), file, ...args], dir, env),
    shell: (commandLine, env = process.env) => run('bash', ['-c', commandLine], dir, env),
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
  return project;
}
