/**
 * The registrar bundle stays small (README "Libraries"): the Lambda reads the manifest's JSON
 * form, so nothing it imports may pull in the YAML parser, the rrule library or the zone list,
 * which only synth and the preview use.
 */
import { importsOf } from './sourceModules';

function reachable(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (module: string) => {
    if (seen.has(module)) return;
    seen.add(module);
    for (const next of importsOf(module)) visit(next);
  };
  visit(entry);
  return seen;
}

describe('registrar bundle contents', () => {
  it('imports neither fromYaml.ts (yaml, rrule) nor the zone names', () => {
    const modules = [...reachable('lambdas/registrar/index.ts')];
    expect(modules).toEqual(expect.arrayContaining(['lambdas/registrar/handler.ts', 'lambdas/registrar/manifest/check.ts']));
    expect(modules.filter((m) => /fromYaml|zoneNames/.test(m))).toEqual([]);
  });
});
