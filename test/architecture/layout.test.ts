/**
 * The layout stays one a newcomer finds their way in: small folders, small modules, and imports
 * that flow one way. A failure names the folder, module or cycle to fix.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { importCycles, readSource, sourceModules } from './sourceModules';

const MAX_MODULES_PER_FOLDER = 12;
const MAX_LINES_PER_MODULE = 300;

const modules = sourceModules();

describe('source layout of templates/, lambdas/ and scripts/', () => {
  it(`keeps every folder at ${MAX_MODULES_PER_FOLDER} modules or fewer`, () => {
    const perFolder = new Map<string, number>();
    for (const module of modules) perFolder.set(path.posix.dirname(module), (perFolder.get(path.posix.dirname(module)) ?? 0) + 1);
    const crowded = [...perFolder].filter(([, count]) => count > MAX_MODULES_PER_FOLDER).map(([folder, count]) => `${folder} has ${count}`);
    expect(crowded).toEqual([]);
  });

  it(`keeps every module at ${MAX_LINES_PER_MODULE} lines or fewer`, () => {
    const lineCount = (text: string) => text.replace(/\n$/, '').split('\n').length;
    const long = modules.map((m) => [m, lineCount(readSource(m))] as const).filter(([, lines]) => lines > MAX_LINES_PER_MODULE);
    expect(long.map(([m, lines]) => `${m} has ${lines} lines`)).toEqual([]);
  });

  it('has no import cycle', () => {
    expect(importCycles(modules).map((cycle) => cycle.join(' -> '))).toEqual([]);
  });

  it('sees a cycle through a .js specifier, and refuses an import it cannot resolve', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pes-layout-'));
    try {
      const [a, b, c] = ['a.ts', 'b.ts', 'c.ts'].map((name) => path.posix.join(dir, name));
      fs.writeFileSync(a!, "import { b } from './b.js';\nexport const a = b;\n");
      fs.writeFileSync(b!, "export { a as b } from './a';\n");
      fs.writeFileSync(c!, "import './missing';\n");
      expect(importCycles([a!, b!])).toEqual([[a, b, a]]);
      expect(() => importCycles([c!])).toThrow(`${c} imports ./missing, which resolves to no file`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('sees the modules it judges (a wrong root would pass every rule vacuously)', () => {
    expect(modules).toEqual(expect.arrayContaining(['templates/stacks/worker.ts', 'lambdas/scaler/index.ts', 'scripts/synth.ts']));
  });
});
