/**
 * cfn-lint, the AWS validator. Our bar is no error and no warning; informational findings are
 * reported but do not fail. cfn-lint's exit code is a bit mask: 2 error, 4 warning, 8 info.
 */
import { ToolFailedError } from '../errors';
import { pythonTool, runTool, runToolInBackground, type ToolResult } from '../run';

export interface LintFinding {
  readonly file: string;
  readonly line: number;
  readonly rule: string;
  readonly message: string;
}

export interface LintReport {
  readonly ok: boolean;
  readonly findings: LintFinding[];
}

const PARSEABLE = /^(.*?):(\d+):\d+:\d+:\d+:([EWI]\d+):(.*)$/;

const ARGS = ['--format', 'parseable', '--'];

function report(result: ToolResult): LintReport {
  const findings = result.stdout
    .split('\n')
    .map((line) => PARSEABLE.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map(([, file, line, rule, message]) => ({ file: file!, line: Number(line), rule: rule!, message: message! }));
  if (result.status !== 0 && findings.length === 0) {
    throw new ToolFailedError('cfn-lint', `cfn-lint failed without findings (exit ${result.status}): ${result.stderr.trim()}`);
  }
  return { ok: findings.every((finding) => finding.rule.startsWith('I')), findings };
}

export const cfnLint = (files: readonly string[]): LintReport => report(runTool(pythonTool('cfn-lint'), [...ARGS, ...files]));

/** cfn-lint in its own process (it is the slowest validator), while this one validates with the others. */
export const cfnLintInBackground = async (files: readonly string[]): Promise<LintReport> => report(await runToolInBackground(pythonTool('cfn-lint'), [...ARGS, ...files]));

export const formatFinding = (f: LintFinding) => `${f.file}:${f.line} ${f.rule} ${f.message}`;
