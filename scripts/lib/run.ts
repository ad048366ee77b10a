/** Runs an external tool and captures what it said; a missing tool is a clear error. */
import { spawnSync } from 'node:child_process';
import { ToolMissingError } from './errors';

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
  if (result.error && (result.error as NodeJS.ErrnoException).code === 'ENOENT') throw new ToolMissingError(command);
  if (result.error) throw result.error;
  return { status: result.status ?? 1, stdout: result.stdout, stderr: result.stderr };
}
