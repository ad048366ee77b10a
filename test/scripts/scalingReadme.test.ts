import fs from 'node:fs';
import { defaultSettings, scalingTable, TARGET_WORKER_START_SECONDS } from '../../scripts/bench/scaling/defaults';
import { scalingTableFromJson } from '../../scripts/bench/scaling/readmeTable';
import { benchReport, runBench } from '../../scripts/bench/scaling/run';
import { BUILT_IN_TRACES } from '../../scripts/bench/scaling/traces';
import { readBlock } from '../../scripts/lib/readme/markers';

const readme = fs.readFileSync('README.md', 'utf8');

describe('the README scaling table', () => {
  it('is exactly what the benchmark gives now (npm run readme rewrites it after a change)', () => {
    expect(readBlock(readme, 'scaling-table')).toBe(scalingTable());
  });

  it('renders the same from the --json lines the command prints, which is what npm run readme reads', () => {
    const lines = [30, TARGET_WORKER_START_SECONDS].map((start) => {
      const settings = defaultSettings(start);
      return JSON.stringify(benchReport(settings, BUILT_IN_TRACES.map((make) => runBench(make(), settings))));
    });
    expect(scalingTableFromJson(lines.join('\n'), TARGET_WORKER_START_SECONDS)).toBe(scalingTable());
    expect(scalingTableFromJson(lines.join('\n'), 120)).toBeUndefined();
  });

  it('meets every target it reports', () => {
    expect(scalingTable()).toMatch(/^Targets met: (\d+) of \1\.$/m);
  });
});
