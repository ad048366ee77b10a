/**
 * cloudform types a resource's `.condition()` and `.dependsOn()` as any string, so a misspelled
 * condition or logical ID there would compile. The builders pass the typed IDs (Cond.X, Res.X, or
 * a variable typed CondId/ResId); this test holds them to it: no string spelled inside the call.
 */
import ts from 'typescript';
import { readSource, sourceModules } from './sourceModules';

const TYPED_ONLY = new Set(['condition', 'dependsOn']);

function spelledIds(module: string, text = readSource(module)): string[] {
  const source = ts.createSourceFile(module, text, ts.ScriptTarget.ES2022, true);
  const found: string[] = [];
  const hasLiteral = (node: ts.Node): boolean => ts.isStringLiteralLike(node) || ts.isTemplateExpression(node) || ts.forEachChild(node, hasLiteral) === true;
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && TYPED_ONLY.has(node.expression.name.text) && node.arguments.some(hasLiteral)) {
      found.push(`${module}:${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1}: ${node.getText(source)}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('resource conditions and dependencies', () => {
  it('name conditions and logical IDs through the typed IDs only', () => {
    expect(sourceModules(['templates']).flatMap((m) => spelledIds(m))).toEqual([]);
  });

  it('find a spelled condition or dependency', () => {
    const probe = "new ECS.Cluster({}).condition('CreateClustr');\nx.dependsOn([Res.WorkPool, `Worker${'Servce'}`]);\nx.condition(Cond.CreateCluster);";
    expect(spelledIds('templates/probe.ts', probe)).toEqual([
      "templates/probe.ts:1: new ECS.Cluster({}).condition('CreateClustr')",
      "templates/probe.ts:2: x.dependsOn([Res.WorkPool, `Worker${'Servce'}`])",
    ]);
  });
});
