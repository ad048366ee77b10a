/** The README's template sizes: the files `npm run synth` writes, against CloudFormation's limits. */
import fs from 'node:fs';
import path from 'node:path';
import { TEMPLATE_BODY_LIMIT_BYTES, TEMPLATE_S3_LIMIT_BYTES } from '../../../templates/core/constants';
import { PUBLISHED_STACKS } from '../../../templates/stacks';
import type { ScratchProject } from '../scratchProject';

const bytes = (n: number) => `${n.toLocaleString('en-US')} B`;

export async function renderTemplateSizes(project: ScratchProject): Promise<string> {
  await project.npmOk('synth');
  const rows = PUBLISHED_STACKS.map(({ name }) => {
    const [json, yaml] = (['json', 'yaml'] as const).map((form) => fs.statSync(path.join(project.dir, 'build', `${name}.template.${form}`)).size);
    const fits = (n: number) => (n <= TEMPLATE_BODY_LIMIT_BYTES ? 'fits' : `${(n / TEMPLATE_BODY_LIMIT_BYTES).toFixed(1)} x the limit`);
    return `| ${name} | ${bytes(json!)} (${fits(json!)}) | ${bytes(yaml!)} (${fits(yaml!)}) |`;
  });
  return [
    '| template | JSON | YAML |',
    '| --- | --- | --- |',
    ...rows,
    '',
    `Inline limit ${bytes(TEMPLATE_BODY_LIMIT_BYTES)} (a template body sent with the API call); from S3 ${bytes(TEMPLATE_S3_LIMIT_BYTES)}.`,
  ].join('\n');
}
