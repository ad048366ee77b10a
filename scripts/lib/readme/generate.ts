/** Renders every generated block of README.md in one scratch copy of the project. */
import { README_BLOCKS } from './blocks';
import { readBlock, replaceBlock } from './markers';
import { scratchProject } from '../scratchProject';

export interface GeneratedReadme {
  readonly text: string;
  /** The blocks whose content changed. */
  readonly changed: readonly string[];
}

export async function generateReadme(readme: string, blocks = README_BLOCKS): Promise<GeneratedReadme> {
  const project = scratchProject();
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
    project.remove();
  }
}
