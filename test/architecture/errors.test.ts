/**
 * One error family: every error the project throws is a PrefectEcsStackError subclass declared
 * in its area's errors.ts (templates, scripts, lambdas/common, lambdas/<fn>), so a handler can
 * tell this project's errors from everything else and a reader knows where to find them.
 */
import path from 'node:path';
import ts from 'typescript';
import { PrefectEcsStackError } from '../../lambdas/common/PrefectEcsStackError';
import { readSource, sourceModules } from './sourceModules';

const BASE_MODULE = 'lambdas/common/PrefectEcsStackError.ts';
const BUILT_IN_ERRORS = new Set(['Error', 'TypeError', 'RangeError', 'SyntaxError']);

const modules = sourceModules();
const errorModules = modules.filter((m) => path.posix.basename(m) === 'errors.ts');
const areaOf = (module: string) => module.split('/').slice(0, module.startsWith('lambdas/') ? 2 : 1).join('/');

interface Finding {
  readonly module: string;
  readonly what: string;
}

/** `Error`, `globalThis.Error`, `TypeError`...: a built-in error constructor however it is reached. */
const isBuiltInError = (node: ts.Expression): boolean =>
  (ts.isIdentifier(node) && BUILT_IN_ERRORS.has(node.text)) ||
  (ts.isPropertyAccessExpression(node) && BUILT_IN_ERRORS.has(node.name.text) && /^(globalThis|global|window|self)$/.test(node.expression.getText()));

/** What a throw may throw: a new error object, one a factory made, or an identifier (a caught error passed on). */
const isThrowable = (node: ts.Expression): boolean => ts.isNewExpression(node) || ts.isCallExpression(node) || ts.isIdentifier(node) || (ts.isParenthesizedExpression(node) && isThrowable(node.expression));

function builtInErrorUses(module: string, text = readSource(module)): Finding[] {
  const findings: Finding[] = [];
  const inErrorsModule = path.posix.basename(module) === 'errors.ts';
  const visit = (node: ts.Node): void => {
    if (ts.isClassDeclaration(node) || ts.isClassExpression(node)) {
      const base = node.heritageClauses?.find((c) => c.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
      const name = node.name?.text ?? '(anonymous)';
      if (base && isBuiltInError(base)) findings.push({ module, what: `class ${name} extends ${base.getText()}` });
      else if (!inErrorsModule && (/Error$/.test(name) || (base && /Error$/.test(base.getText())))) findings.push({ module, what: `class ${name} outside errors.ts` });
    }
    if ((ts.isNewExpression(node) || ts.isCallExpression(node)) && isBuiltInError(node.expression)) {
      findings.push({ module, what: `${ts.isNewExpression(node) ? 'new ' : ''}${node.expression.getText()}(...)` });
    }
    if (ts.isThrowStatement(node) && !isThrowable(node.expression)) findings.push({ module, what: `throw ${node.expression.getText()}` });
    ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile(module, text, ts.ScriptTarget.ES2022, true));
  return findings;
}

describe('the error family', () => {
  it('throws no built-in error and declares error classes only in errors.ts', () => {
    const findings = modules.filter((m) => m !== BASE_MODULE).flatMap((m) => builtInErrorUses(m));
    expect(findings.map((f) => `${f.module}: ${f.what}`)).toEqual([]);
  });

  it('finds each way of escaping the family', () => {
    const source = [
      "throw Error('bare');",
      "throw 'a string';",
      'Promise.reject(new globalThis.Error("x"));',
      'class Sneaky extends globalThis.Error {}',
      'class Oops extends PrefectEcsStackError {}',
      'throw result.error;',
      'try { f(); } catch (error) { throw error; }',
    ].join('\n');
    const findings = builtInErrorUses('lambdas/scaler/probe.ts', source).map((f) => f.what);
    expect(findings).toEqual(["Error(...)", "throw 'a string'", 'new globalThis.Error(...)', 'class Sneaky extends globalThis.Error', 'class Oops outside errors.ts', 'throw result.error']);
  });

  it('has one errors.ts per area', () => {
    const areas = errorModules.map(areaOf);
    expect(areas.filter((area, i) => areas.indexOf(area) !== i)).toEqual([]);
    expect(areas).toEqual(expect.arrayContaining(['templates', 'scripts', 'lambdas/common', 'lambdas/scaler', 'lambdas/registrar', 'lambdas/work-pool']));
  });

  it.each(errorModules)('derives every class of %s from PrefectEcsStackError, named after itself', async (module) => {
    const exported = Object.entries(await import(`../../${module.replace(/\.ts$/, '')}`)).filter(([, value]) => typeof value === 'function' && /^[A-Z]/.test((value as { name: string }).name));
    expect(exported.length).toBeGreaterThan(0);
    for (const [name, errorClass] of exported) {
      expect([name, (errorClass as { prototype: unknown }).prototype instanceof PrefectEcsStackError]).toEqual([name, true]);
    }
  });

  it('names an error after its class and keeps its cause', () => {
    class ExampleError extends PrefectEcsStackError {}
    const cause = new PrefectEcsStackError('root');
    const error = new ExampleError('it failed', { cause });
    expect([error.name, error.message, error.cause]).toEqual(['ExampleError', 'it failed', cause]);
  });
});
