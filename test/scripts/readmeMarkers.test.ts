import { ReadmeError } from '../../scripts/lib/errors';
import { blockMarkers, readBlock, replaceBlock } from '../../scripts/lib/readme/markers';

describe('README blocks between markers', () => {
  const { begin, end } = blockMarkers('demo');
  const text = `before\n${begin}\nold\n${end}\nafter\n`;

  it('replaces only what is between the markers', () => {
    expect(replaceBlock(text, 'demo', 'new\nlines')).toBe(`before\n${begin}\nnew\nlines\n${end}\nafter\n`);
    expect(readBlock(replaceBlock(text, 'demo', 'x'), 'demo')).toBe('x');
    expect(readBlock(text, 'demo')).toBe('old');
  });

  it('refuses a README without the markers, or with an unclosed block, naming the block', () => {
    expect(() => readBlock('no markers', 'demo')).toThrow(ReadmeError);
    expect(() => replaceBlock('no markers', 'demo', 'x')).toThrow(/README\.md has no .* marker for the demo block/);
    expect(() => readBlock(`${begin}\nnever closed`, 'demo')).toThrow(/opens the demo block but never closes it/);
  });
});
