/**
 * Generated blocks of README.md sit between two HTML comments, invisible in the rendered page:
 *   <!-- figures:cost-table begin (npm run readme writes this; do not edit) -->
 *   ...
 *   <!-- figures:cost-table end -->
 */
import { ReadmeError } from '../errors';

export const blockMarkers = (name: string) => ({
  begin: `<!-- figures:${name} begin (npm run readme writes this; do not edit) -->`,
  end: `<!-- figures:${name} end -->`,
});

/** The content of a named block; a missing or unclosed marker is an error naming it. */
export function readBlock(readme: string, name: string): string {
  const { begin, end } = blockMarkers(name);
  const start = readme.indexOf(begin);
  if (start < 0) throw new ReadmeError(`README.md has no "${begin}" marker for the ${name} block`);
  const stop = readme.indexOf(end, start);
  if (stop < 0) throw new ReadmeError(`README.md opens the ${name} block but never closes it with "${end}"`);
  return readme.slice(start + begin.length, stop).replace(/^\n/, '').replace(/\n$/, '');
}

/** The README with the block's content replaced; only what is between the markers changes. */
export function replaceBlock(readme: string, name: string, content: string): string {
  readBlock(readme, name);
  const { begin, end } = blockMarkers(name);
  const start = readme.indexOf(begin) + begin.length;
  const stop = readme.indexOf(end, start);
  return `${readme.slice(0, start)}\n${content}\n${readme.slice(stop)}`;
}
