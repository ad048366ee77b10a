/** The README's template sizes: the files `npm run synth` writes, against CloudFormation's limits. */
import fs from 'node:fs';
import path from 'node:path';
import { TEMPLATE_BODY_LIMIT_BYTES, TEMPLATE_S3_LIMIT_BYTES } from '../../../templates/core/constants';
import { PUBLISHED_STACKS } from '../../../templates/stacks';
import type { ScratchProject } from '../scratchProject';

const bytes = (n: number) => `${n.toLocaleString('en-US')} B`;

export async function renderTemplateSizes(project: ScratchProject): Promise<string> {
  await project.npmOk('synth');
  const sizes = PUBLISHED_STACKS.map(({ name }) => ({
    name,
    forms: (['json', 'yaml'] as const).map((form) => ({ form, bytes: fs.statSync(path.join(project.dir, 'build', `${name}.template.${form}`)).size })),
  }));
  const fits = (n: number) => (n <= TEMPLATE_BODY_LIMIT_BYTES ? 'fits inline' : `${(n / TEMPLATE_BODY_LIMIT_BYTES).toFixed(1)} x the inline limit`);
  const inline = sizes.flatMap((s) => s.forms.filter((f) => f.bytes <= TEMPLATE_BODY_LIMIT_BYTES).map((f) => `${s.name} ${f.form.toUpperCase()}`));
  return [
    '| template | JSON | YAML |',
    '| --- | --- | --- |',
    ...sizes.map((s) => `| ${s.name} | ${s.forms.map((f) => `${bytes(f.bytes)} (${fits(f.bytes)})`).join(' | ')} |`),
    '',
    `CloudFormation takes ${bytes(TEMPLATE_BODY_LIMIT_BYTES)} inline (a template body sent with the call) and ${bytes(TEMPLATE_S3_LIMIT_BYTES)} from S3. ` +
      (inline.length === 0 ? 'No form of any template fits inline: deploy from S3 (`sam deploy` with `resolve_s3`, or `npm run publish`).' : `Inline fits: ${inline.join(', ')}.`),
  ].join('\n');
}
