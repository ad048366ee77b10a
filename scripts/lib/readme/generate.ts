/** Renders every generated block of README.md in one scratch copy of the project. */
import { scratchProject, type ScratchProject } from '../scratchProject';
import { README_BLOCKS } from './blocks';
import { readBlock, replaceBlock } from './markers';

export interface GeneratedReadme {
  readonly text: string;
  /** The blocks whose content changed. */
  readonly changed: readonly string[];
}

/** In a fresh scratch copy, or in `given` (a fresh one a caller goes on using; it is not removed). */
export async function generateReadme(readme: string, blocks = README_BLOCKS, given?: ScratchProject): Promise<GeneratedReadme> {
  const project = given ?? scratchProject();
  try {
    let text = readme;
    const changed: string[] = [];
    for (const block of blocks) {
      const content = await block.render(project);
      if (readBlock(text, block.name) !== content) changed.push(block.name);
      text = replaceBlock(text, block.name, content);
    }
    return { text, changed };
  } finally {
    if (!given) project.remove();
  }
}
