/** Runs an external tool and captures what it said; a missing tool is a clear error. */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ToolFailedError, ToolMissingError } from './errors';

export interface ToolResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function runTool(command: string, args: readonly string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}): ToolResult {
  const result = spawnSync(command, args, {
    encoding: 'utf8',
    input: options.input,
    env: options.env ?? process.env,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error && (result.error as NodeJS.ErrnoException).code === 'ENOENT') throw new ToolMissingError(path.basename(command));
  // EACCES, ENOBUFS (output over maxBuffer), ...: the tool could not run or its output was lost.
  if (result.error) throw new ToolFailedError(path.basename(command), `${path.basename(command)} could not run: ${result.error.message}`, { cause: result.error });
  return { status: result.status ?? 1, stdout: result.stdout, stderr: result.stderr };
}

/** runTool without blocking: the tool runs in its own process while this one does other work. */
export function runToolInBackground(command: string, args: readonly string[]): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'ENOENT' ? new ToolMissingError(path.basename(command)) : new ToolFailedError(path.basename(command), `${path.basename(command)} could not run: ${error.message}`, { cause: error })),
    );
    child.on('close', (status) => resolve({ status: status ?? 1, stdout, stderr }));
  });
}

const isExecutable = (file: string) => {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
};

/** Where python3 installs console scripts: its own scripts folder and the user-site one (pip --user). */
const SCRIPT_DIRS = "import os, sysconfig\nprint(sysconfig.get_path('scripts'))\nprint(sysconfig.get_path('scripts', os.name + '_user'))";
let pythonScriptDirs: string[] | undefined;

/**
 * The command that runs a Python tool's console script (cfn-lint, moto_server): its name when it
 * is on PATH, else its path in python3's script folders. pip often installs there without that
 * folder being on PATH (a user install), which made a fresh machine install the tools and then
 * not find them.
 */
export function pythonTool(name: string): string {
  const onPath = (process.env.PATH ?? '').split(path.delimiter).some((dir) => dir && isExecutable(path.join(dir, name)));
  if (onPath) return name;
  pythonScriptDirs ??= (spawnSync('python3', ['-c', SCRIPT_DIRS], { encoding: 'utf8', env: process.env }).stdout ?? '').split('\n').filter(Boolean);
  return pythonScriptDirs.map((dir) => path.join(dir, name)).find(isExecutable) ?? name;
}
