import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundleLambdas, lambdaNames } from '../../scripts/lib/bundle';

function fakeLambdas(names: string[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pes-lambdas-'));
  fs.mkdirSync(path.join(dir, 'common'));
  fs.writeFileSync(path.join(dir, 'common', 'greeting.ts'), 'export const greet = (who: string): string => `hello ${who}`;\n');
  for (const name of names) {
    fs.mkdirSync(path.join(dir, name));
    fs.writeFileSync(
      path.join(dir, name, 'index.ts'),
      `import { greet } from '../common/greeting';\nexport const handler = async (): Promise<string> => greet('${name}');\n`,
    );
  }
  fs.mkdirSync(path.join(dir, 'notes')); // a folder without index.ts is not a function
  return dir;
}

describe('Lambda bundler', () => {
  it('finds every function folder but common/ and folders without index.ts', () => {
    expect(lambdaNames(fakeLambdas(['scaler', 'registrar', 'work-pool']))).toEqual(['registrar', 'scaler', 'work-pool']);
    expect(lambdaNames(path.join(os.tmpdir(), 'does-not-exist'))).toEqual([]);
  });

  it('bundles any number of functions into runnable ES modules that include shared code', async () => {
    const source = fakeLambdas(['alpha', 'beta', 'gamma']);
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'pes-bundles-'));
    const results = await bundleLambdas(source, out);
    expect(results.map((r) => r.name)).toEqual(['alpha', 'beta', 'gamma']);
    for (const result of results) {
      expect(result.file).toBe(path.join(out, result.name, 'index.mjs'));
      expect(result.bytes).toBe(fs.statSync(result.file).size);
      // Run it the way Lambda does: import the module, call the handler.
      const { stdout } = spawnSync(
        process.execPath,
        ['--input-type=module', '-e', `const m = await import(${JSON.stringify(pathToFileURL(result.file).href)}); console.log(await m.handler());`],
        { encoding: 'utf8' },
      );
      expect(stdout.trim()).toBe(`hello ${result.name}`);
    }
  });
});
