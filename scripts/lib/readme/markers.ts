/**
 * Generated blocks of README.md sit between two HTML comments, invisible in the rendered page:
 *   <!-- generated:cost-table (npm run readme) -->
 *   ...
 *   <!-- /generated:cost-table -->
 */
import { ReadmeError } from '../errors';

const begin = (name: string) => `<!-- generated:${name} (npm run readme) -->`;
const end = (name: string) => `<!-- /generated:${name} -->`;

/** The current content of each named block; a missing or unclosed marker is an error naming it. */
export function readBlock(readme: string, name: string): string {
  const start = readme.indexOf(begin(name));
  if (start < 0) throw new ReadmeError(`README.md has no "${begin(name)}" marker for the ${name} block`);
  const stop = readme.indexOf(end(name), start);
  if (stop < 0) throw new ReadmeError(`README.md opens the ${name} block but never closes it with "${end(name)}"`);
  return readme.slice(start + begin(name).length, stop).replace(/^\n/, '').replace(/\n$/, '');
}

export function replaceBlock(readme: string, name: string, content: string): string {
  readBlock(readme, name);
  const start = readme.indexOf(begin(name)) + begin(name).length;
  const stop = readme.indexOf(end(name), start);
  return `${readme.slice(0, start)}\n${content}\n${readme.slice(stop)}`;
}
