/**
 * The generated blocks of README.md: figures produced by the project's own commands, run in a
 * scratch copy of the project. `npm run readme` rewrites them; test/integration/readme.test.ts
 * fails when README.md differs. Adding a block is one entry here plus its markers in README.md.
 */
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

export const README_BLOCKS: readonly ReadmeBlock[] = [
  { name: 'cost-table', render: renderCostTable },
  { name: 'template-sizes', render: renderTemplateSizes },
  { name: 'command-reference', render: renderCommandReference },
  // The scaling table (README "What it costs and how fast it reacts") belongs here as
  //   { name: 'scaling-table', render: async (p) => scalingTable(await p.npmOk('bench:scaling', ['--json'])) }
  // with a renderer of the benchmark's JSON lines, once its markers are in README.md.
];
