/**
 * The git mirror of PrefectHQ/prefect (every release tag) where this machine has one. Tests read
 * Prefect's source from it at a tag, never from a copy in the repository; CI's clean clone has no
 * mirror, so those tests skip and their titles say why.
 */
import { spawnSync } from 'node:child_process';

export const PREFECT_MIRROR = '/work/.mirror/PrefectHQ+prefect/repo';

const git = (...args: string[]) => spawnSync('git', ['-C', PREFECT_MIRROR, ...args], { encoding: 'utf8', maxBuffer: 20_000_000 });

/** Whether the mirror is here and has the tag. */
export const mirrorHasTag = (tag: string): boolean => git('rev-parse', '--verify', '--quiet', `${tag}^{commit}`).status === 0;

/** The commit the tag names in the mirror. */
export const mirrorCommit = (tag: string): string => git('rev-parse', `${tag}^{commit}`).stdout.trim();

/** A file as it is at the tag, or undefined when the mirror, the tag or the file is missing. */
export function sourceAt(tag: string, file: string): string | undefined {
  const run = git('show', `${tag}:${file}`);
  return run.status === 0 ? run.stdout : undefined;
}

/** A file as it is at the tag; throws naming the tag, the file and the mirror. */
export function requireSourceAt(tag: string, file: string): string {
  const run = git('show', `${tag}:${file}`);
  if (run.status !== 0) throw new Error(`git show ${tag}:${file} in ${PREFECT_MIRROR}: ${run.stderr}`);
  return run.stdout;
}

/** The reason a test names in its title when it is skipped for want of the mirror. */
export const noMirror = (tag: string): string => `skipped: no Prefect git mirror with tag ${tag} at ${PREFECT_MIRROR}`;
