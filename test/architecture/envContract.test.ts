/**
 * Each Lambda's environment is a contract named once, in its env.ts: the template builders
 * import the names to write the variables and the config readers import them to read. A name
 * spelled anywhere else would compile and break at run time, so this test looks for spellings
 * (string literals, object keys, property accesses) across every source and test file.
 */
import ts from 'typescript';
import { PrefectEnv, SharedEnv } from '../../lambdas/common/env';
import { RegistrarEnv } from '../../lambdas/registrar/env';
import { ScalerWebhookEnv } from '../../lambdas/scaler-webhook/env';
import { ScalerEnv } from '../../lambdas/scaler/env';
import { WorkPoolEnv } from '../../lambdas/work-pool/env';
import { PUBLISHED_STACKS } from '../../templates/stacks';
import { readSource, sourceModules, SOURCE_ROOTS } from './sourceModules';

const CONTRACT_NAMES = [...new Set([PrefectEnv, SharedEnv, ScalerEnv, ScalerWebhookEnv, RegistrarEnv, WorkPoolEnv].flatMap((contract) => Object.values(contract)))].sort();
const FUNCTIONS = { ScalerFunction: ScalerEnv, ScalerWebhookFunction: ScalerWebhookEnv, RegistrarFunction: RegistrarEnv, WorkPoolFunction: WorkPoolEnv };

/** The files in which each name is spelled out as a literal or an identifier. */
function spellings(names: readonly string[], files: readonly string[]): Map<string, string[]> {
  const found = new Map<string, string[]>(names.map((name) => [name, []]));
  for (const file of files) {
    const source = ts.createSourceFile(file, readSource(file), ts.ScriptTarget.ES2022);
    const seen = new Set<string>();
    const visit = (node: ts.Node): void => {
      if ((ts.isStringLiteralLike(node) || ts.isIdentifier(node)) && found.has(node.text)) seen.add(node.text);
      ts.forEachChild(node, visit);
    };
    visit(source);
    for (const name of seen) found.get(name)!.push(file);
  }
  return found;
}

describe('environment contracts of the Lambdas', () => {
  it('spell every variable name in exactly one file, the env.ts that defines it', () => {
    const files = sourceModules([...SOURCE_ROOTS, 'test']);
    const misplaced = [...spellings(CONTRACT_NAMES, files)]
      .filter(([, where]) => where.length !== 1 || !where[0]!.endsWith('/env.ts'))
      .map(([name, where]) => `${name} in ${where.join(', ') || 'no file'}`);
    expect(misplaced).toEqual([]);
  });

  it('read process.env only into a variable typed by a contract, so the readers check each name', () => {
    const untyped: string[] = [];
    for (const file of sourceModules(['lambdas'])) {
      const source = ts.createSourceFile(file, readSource(file), ts.ScriptTarget.ES2022, true);
      const visit = (node: ts.Node): void => {
        if (ts.isPropertyAccessExpression(node) && node.getText(source) === 'process.env') {
          const declaration = node.parent;
          const typed = ts.isVariableDeclaration(declaration) && declaration.initializer === node && declaration.type?.getText(source).startsWith('EnvOf<');
          if (!typed) untyped.push(`${file}:${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1}`);
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
    expect(untyped).toEqual([]);
  });

  it.each(PUBLISHED_STACKS.map((s) => [s.name, s]))('gives each function of the %s stack exactly the variables of its contract', (_name, stack) => {
    const resources = stack.build().Resources as unknown as Record<string, { Properties: { Environment: { Variables: Record<string, unknown> } } }>;
    for (const [fn, contract] of Object.entries(FUNCTIONS)) {
      expect(Object.keys(resources[fn]!.Properties.Environment.Variables).sort()).toEqual([...new Set(Object.values(contract))].sort());
    }
  });
});
