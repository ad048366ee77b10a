/**
 * The project's own TypeScript modules and the modules each one imports, read with the
 * TypeScript compiler's import scanner (it sees `import type`, re-exports and dynamic imports).
 * Generated code (`*.d.ts`, `generated/` folders) is nobody's to lay out, so it is left out.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** The folders whose layout the architecture tests hold to account. */
export const SOURCE_ROOTS = ['templates', 'lambdas', 'scripts'] as const;

const isGenerated = (file: string) => file.endsWith('.d.ts') || file.split('/').includes('generated');

/** Repository-relative paths of every hand-written .ts module under the given folders, sorted. */
export function sourceModules(roots: readonly string[] = SOURCE_ROOTS): string[] {
  const walk = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const file = path.posix.join(dir, entry.name);
      if (entry.isDirectory()) return walk(file);
      return file.endsWith('.ts') && !isGenerated(file) ? [file] : [];
    });
  return roots.flatMap(walk).sort();
}

export const readSource = (file: string): string => fs.readFileSync(file, 'utf8');

/** The project modules `file` imports (relative specifiers resolved to .ts files; packages and JSON left out). */
export function importsOf(file: string): string[] {
  const { importedFiles } = ts.preProcessFile(readSource(file), true, true);
  return importedFiles
    .map((imported) => imported.fileName)
    .filter((specifier) => specifier.startsWith('.'))
    .map((specifier) => resolveModule(file, specifier))
    .filter((resolved) => resolved.endsWith('.ts') && !isGenerated(resolved));
}

/**
 * The file a relative specifier names, as the Bundler resolution finds it (`./b.js` is `./b.ts`).
 * One it cannot find fails the test: a silently dropped import would hide a cycle.
 */
function resolveModule(importer: string, specifier: string): string {
  const base = path.posix.join(path.posix.dirname(importer), specifier);
  const candidates = [base.replace(/\.(m|c)?js$/, '.ts'), `${base}.ts`, `${base}.d.ts`, `${base}/index.ts`, base];
  const found = candidates.find((candidate) => fs.existsSync(candidate) && fs.statSync(candidate).isFile());
  if (!found) throw new Error(`${importer} imports ${specifier}, which resolves to no file`);
  return found;
}

/** Every import cycle among the modules, each as the path that closes it (`a -> b -> a`). */
export function importCycles(modules: readonly string[]): string[][] {
  const graph = new Map(modules.map((m) => [m, importsOf(m).filter((target) => modules.includes(target))]));
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (module: string): void => {
    state.set(module, 'visiting');
    stack.push(module);
    for (const next of graph.get(module) ?? []) {
      if (state.get(next) === 'visiting') cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(module, 'done');
  };
  for (const module of modules) if (!state.has(module)) visit(module);
  return cycles;
}
