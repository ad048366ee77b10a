/**
 * Ordinary text in a stored manifest synthesizes into a template the validators pass: `${HOME}`
 * in a shell command, `${AWS::Region}` in prose (cfn-lint refused them as parameters outside
 * Fn::Sub, E1029) and an emoji (cfn-guard could not parse the surrogate pairs the SAM expansion
 * wrote for it). The value CloudFormation stores is the manifest's JSON unchanged.
 */
import fs from 'node:fs';
import path from 'node:path';
import { cfnGuard, GUARD_RULE_SETS } from '../../scripts/lib/validation/cfnGuard';
import { cfnLint, formatFinding } from '../../scripts/lib/validation/cfnLint';
import { samExpand } from '../../scripts/lib/validation/samExpand';
import { buildWorkerStack } from '../../templates/stacks/worker';
import { writeTemplateFiles, type Json } from '../support/template';

const FIXTURE = fs.readFileSync('test/fixtures/manifests/prefect.yaml', 'utf8');
const TEXT = FIXTURE.replace('description: Nightly load into the warehouse', "description: 'Nightly load 🚀 into the warehouse of ${AWS::Region}, \"${!kept}\"'").replace(
  '        memory: 4096',
  "        memory: 4096\n        command: 'sh -c \"cd ${HOME} && prefect flow-run execute\"'",
);

const template = buildWorkerStack({ manifest: { file: 'prefect.yaml', text: TEXT } });
const files = writeTemplateFiles('manifest-text', template);
afterAll(() => fs.rmSync(files.dir, { recursive: true, force: true }));

/** Fn::Sub without variables, as CloudFormation renders it: `${!x}` is the literal `${x}` (intrinsic-function-reference-sub.html). */
const renderLiteralSub = (text: string) => text.replaceAll('${!', '${');

describe('a stored manifest holding ${...} and an emoji', () => {
  const value = (template.Resources.RegistrarManifest as Json).Properties.Value;

  it('is stored as its JSON form, through an Fn::Sub that writes every ${ back literally', () => {
    const stored = JSON.parse(renderLiteralSub(value['Fn::Sub'])) as Json;
    expect(stored.deployments[0].description).toBe('Nightly load 🚀 into the warehouse of ${AWS::Region}, "${!kept}"');
    expect(stored.deployments[0].work_pool.job_variables.command).toBe('sh -c "cd ${HOME} && prefect flow-run execute"');
  });

  it('passes cfn-lint in JSON and YAML', () => {
    expect(cfnLint([files.json, files.yaml]).findings.map(formatFinding)).toEqual([]);
  });

  it('expands and passes cfn-guard, the emoji written as UTF-8', () => {
    const expanded = path.join(files.dir, 'expanded.json');
    samExpand(files.json, expanded);
    expect(fs.readFileSync(expanded, 'utf8')).toContain('🚀');
    expect(cfnGuard(expanded, GUARD_RULE_SETS).violations).toEqual([]);
  });
});
