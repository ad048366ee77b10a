/** Expands the SAM transform offline (aws-sam-translator), for cfn-guard and moto_server. */
import path from 'node:path';
import { ToolFailedError } from '../errors';
import { PYTHON_SCRIPTS_DIR } from '../paths';
import { runTool } from '../run';

export function samExpand(templateFile: string, outputFile: string): void {
  const result = runTool('python3', [path.join(PYTHON_SCRIPTS_DIR, 'sam_expand.py'), templateFile, outputFile]);
  if (result.status !== 0) {
    throw new ToolFailedError('aws-sam-translator', `aws-sam-translator could not expand ${templateFile}:\n${result.stderr.trim()}`);
  }
}
