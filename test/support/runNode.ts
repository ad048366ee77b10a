/**
 * Runs a Node process and collects what it printed. Asynchronous on purpose: servers the child
 * talks to (the Prefect stand-in) live in the test's own process and must keep answering.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';

export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

const TSX = path.join(process.cwd(), 'node_modules', 'tsx', 'dist', 'cli.mjs');

/** `node <args>` with the Node that runs the tests (npm's pinned one: see README "Node versions"). */
export async function runNode(args: readonly string[], env: NodeJS.ProcessEnv = process.env, timeoutMs = 60_000): Promise<RunResult> {
  const child = spawn(process.execPath, [...args], { timeout: timeoutMs, env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, stdout, stderr };
}

/** One of the project's scripts, run as `npm run <name>` runs it (through tsx). */
export const runScript = (script: string, args: readonly string[], env?: NodeJS.ProcessEnv, timeoutMs?: number) => runNode([TSX, script, ...args], env, timeoutMs);
