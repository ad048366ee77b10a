/** The real AWS validators over every published template: cfn-lint and cfn-guard. */
import fs from 'node:fs';
import path from 'node:path';
import { cfnGuard, GUARD_RULE_SETS, staleExemptions, type GuardReport } from '../../scripts/lib/validation/cfnGuard';
import { GUARD_EXEMPTIONS } from '../../scripts/lib/validation/guardExemptions';
import { cfnLint, formatFinding } from '../../scripts/lib/validation/cfnLint';
import { samExpand } from '../../scripts/lib/validation/samExpand';
import { PUBLISHED_STACKS } from '../../templates/stacks';
import { writeTemplateFiles, type Json } from '../support/template';

const MANIFEST = { file: 'test/fixtures/manifests/prefect.yaml', text: fs.readFileSync('test/fixtures/manifests/prefect.yaml', 'utf8') };
const VARIANTS = PUBLISHED_STACKS.flatMap((s) => [
  [s.name, () => s.build()] as const,
  [`${s.name} with a stored manifest`, () => s.build({ manifest: MANIFEST })] as const,
]);

const reports: GuardReport[] = [];

describe.each(VARIANTS)('%s template', (name, build) => {
  const files = writeTemplateFiles(name.replace(/\W+/g, '-'), build());
  const expanded = path.join(files.dir, 'expanded.json');

  it('passes cfn-lint with no error and no warning, in JSON and in YAML', () => {
    const report = cfnLint([files.json, files.yaml]);
    expect(report.findings.map(formatFinding)).toEqual([]);
  });

  it('passes the Control Tower cfn-guard rules (IAM, ECS, SQS, Logs, Lambda, ECR, RDS, ELB) on the SAM expansion', () => {
    samExpand(files.json, expanded);
    const plain = JSON.parse(fs.readFileSync(expanded, 'utf8')) as Json;
    expect(plain).not.toHaveProperty('Transform');
    const report = cfnGuard(expanded, GUARD_RULE_SETS);
    expect(report.ruleFiles).toBeGreaterThan(20);
    expect(report.violations).toEqual([]);
    reports.push(report);
  });
});

describe('cfn-guard exemptions', () => {
  it('each covers a finding in some template (none is stale)', () => {
    expect(reports).toHaveLength(VARIANTS.length);
    expect(staleExemptions(reports)).toEqual([]);
  });
});

describe('the validators catch real problems (they are not silently passing)', () => {
  const broken = {
    AWSTemplateFormatVersion: '2010-09-09',
    Resources: {
      Queue: { Type: 'AWS::SQS::Queue', Properties: { VisibilityTimeout: 'soon' } },
      Logs: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 10 } },
    },
  };
  const files = writeTemplateFiles('broken', broken);

  it('cfn-lint reports an invalid property value', () => {
    const report = cfnLint([files.json]);
    expect(report.ok).toBe(false);
    expect(report.findings.some((f) => f.rule.startsWith('E'))).toBe(true);
  });

  it('cfn-guard reports a queue without DLQ and encryption, and an exemption that matches nothing is stale', () => {
    const report = cfnGuard(files.json, ['sqs'], [{ rule: 'sqs_dlq_check', resources: ['Logs'], reason: 'stale on purpose' }]);
    expect(report.violations.map((v) => `${v.rule}:${v.resource}`)).toEqual(
      expect.arrayContaining(['sqs_dlq_check:Queue', 'sqs_queue_encrypted_check:Queue']),
    );
    expect(staleExemptions([report]).map((e) => e.reason)).toEqual(['stale on purpose']);
    expect(report.ok).toBe(false);
  });

  it('every exemption gives a reason', () => {
    for (const exemption of GUARD_EXEMPTIONS) expect(exemption.reason.length).toBeGreaterThan(40);
  });
});
