/**
 * The generated blocks of README.md: figures produced by the project's own commands, run in a
 * scratch copy of the project. `npm run readme` rewrites them; test/integration/readme.test.ts
 * fails when README.md differs. Adding a block is one entry here plus its markers in README.md.
 */
import { TARGET_WORKER_START_SECONDS } from '../../bench/scaling/defaults';
import { scalingTableFromJson } from '../../bench/scaling/readmeTable';
import { ReadmeError } from '../errors';
import { renderCommandReference } from './commandReference';
import { renderCostTable } from './costTable';
import type { ScratchProject } from '../scratchProject';
import { renderTemplateSizes } from './templateSizes';

export interface ReadmeBlock {
  /** The marker name in README.md. */
  readonly name: string;
  /** The Markdown of the block, from commands run in the scratch project. */
  readonly render: (project: ScratchProject) => Promise<string>;
}

/** The scaling table: the benchmark's JSON report at the worker start the targets use. */
async function renderScalingTable(project: ScratchProject): Promise<string> {
  const json = await project.npmOk('bench:scaling', ['--json', '--worker-start', String(TARGET_WORKER_START_SECONDS)]);
  const table = scalingTableFromJson(json, TARGET_WORKER_START_SECONDS);
  if (!table) throw new ReadmeError(`npm run bench:scaling -- --json printed no report for a ${TARGET_WORKER_START_SECONDS} s worker start`);
  return table;
}

export const README_BLOCKS: readonly ReadmeBlock[] = [
  { name: 'template-sizes', render: renderTemplateSizes },
  { name: 'scaling-table', render: renderScalingTable },
  { name: 'cost-table', render: renderCostTable },
  { name: 'command-reference', render: renderCommandReference },
];
