import fs from 'node:fs';
import { defaultSettings, SCALING_TABLE_BLOCK, TARGET_WORKER_START_SECONDS } from '../../scripts/bench/scaling/defaults';
import { blockMarkers, readBlock, scalingTableFromJson, writeBlock } from '../../scripts/bench/scaling/readmeTable';
import { benchReport, runBench } from '../../scripts/bench/scaling/run';
import { BUILT_IN_TRACES } from '../../scripts/bench/scaling/traces';

const readme = fs.readFileSync('README.md', 'utf8');

describe('the README scaling table', () => {
  it(`is exactly what \`${SCALING_TABLE_BLOCK.command}\` prints (run \`npm run bench:scaling -- --update-readme\` after a change)`, () => {
    expect(readBlock(readme, SCALING_TABLE_BLOCK.name)).toBe(SCALING_TABLE_BLOCK.render());
  });

  it('renders the same from the --json lines the command prints (for a generic README-figures runner)', () => {
    const lines = [30, TARGET_WORKER_START_SECONDS].map((start) => {
      const settings = defaultSettings(start);
      return JSON.stringify(benchReport(settings, BUILT_IN_TRACES.map((make) => runBench(make(), settings))));
    });
    expect(scalingTableFromJson(lines.join('\n'), TARGET_WORKER_START_SECONDS)).toBe(SCALING_TABLE_BLOCK.render());
    expect(scalingTableFromJson(lines.join('\n'), 120)).toBeUndefined();
  });

  it('meets every target it reports', () => {
    expect(SCALING_TABLE_BLOCK.render()).toMatch(/^Targets met: (\d+) of \1\.$/m);
  });

  it('replaces only what is between the markers, and refuses a README without them', () => {
    const { begin, end } = blockMarkers('demo');
    const text = `before\n${begin}\nold\n${end}\nafter\n`;
    expect(writeBlock(text, 'demo', 'new\nlines')).toBe(`before\n${begin}\nnew\nlines\n${end}\nafter\n`);
    expect(readBlock(writeBlock(text, 'demo', 'x')!, 'demo')).toBe('x');
    expect(writeBlock('no markers', 'demo', 'x')).toBeUndefined();
    expect(readBlock('no markers', 'demo')).toBeUndefined();
  });
});
