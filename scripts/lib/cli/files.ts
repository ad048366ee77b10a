/**
 * Files a command is pointed at, read with errors that name the flag and the path ("--manifest
 * flows/: is a directory, not a file") instead of Node's EISDIR/ENOENT; and scratch folders that
 * a command removes when it is done, whatever happens.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InputFileError } from '../errors';

/** Reads a text file the user named; `what` is how they named it (a flag, or a key of a file). */
export function readInputFile(file: string, what: string, fix?: string): string {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new InputFileError(what, file, `does not exist${fix ? `: ${fix}` : ''}`);
  }
  if (stat.isDirectory()) throw new InputFileError(what, file, 'is a directory, not a file');
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputFileError(what, file, `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

/** Runs `work` with a fresh folder under the system's temporary directory, removed afterwards. */
export async function withScratchDir<T>(prefix: string, work: (dir: string) => Promise<T> | T): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `pes-${prefix}-`));
  try {
    return await work(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
