/**
 * Compiles a snippet with the project's compiler options, in memory, and returns its diagnostics by
 * line. Tests of compile-time guarantees (typed IDs, env contracts) assert the exact error code
 * each line gets, so they hold under jest alone and fail when a line errs for another reason;
 * `@ts-expect-error` would accept any error and is checked only by tsc.
 */
import path from 'node:path';
import ts from 'typescript';

const ROOT = path.resolve(__dirname, '../..');

export interface ProbeDiagnostic {
  /** 1-based line of the snippet. */
  readonly line: number;
  readonly code: number;
  readonly message: string;
}

function projectOptions(): ts.CompilerOptions {
  const configFile = ts.readConfigFile(path.join(ROOT, 'tsconfig.json'), ts.sys.readFile);
  return ts.parseJsonConfigFileContent(configFile.config, ts.sys, ROOT).options;
}

export function compileProbe(source: string): ProbeDiagnostic[] {
  const probe = path.join(ROOT, '__compile_probe__.ts');
  const options = projectOptions();
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.fileExists = ((exists) => (file: string) => file === probe || exists(file))(host.fileExists.bind(host));
  host.readFile = (file) => (file === probe ? source : readFile(file));
  host.getSourceFile = (file, version, ...rest) =>
    file === probe ? ts.createSourceFile(file, source, version) : getSourceFile(file, version, ...rest);
  const program = ts.createProgram([probe], options, host);
  const file = program.getSourceFile(probe)!;
  return [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)].map((d) => ({
    line: file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1,
    code: d.code,
    message: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
  }));
}

/** One statement per line; returns each line's error codes (empty when it compiles). */
export function codesPerLine(header: string, lines: readonly string[]): number[][] {
  const headerLines = header.split('\n').length;
  const diagnostics = compileProbe(`${header}\n${lines.join('\n')}\n`);
  return lines.map((_, i) => diagnostics.filter((d) => d.line === headerLines + 1 + i).map((d) => d.code));
}
