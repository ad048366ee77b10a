/**
 * Bundles every Lambda under lambdas/<name>/index.ts (all but lambdas/common) with esbuild into
 * build/lambdas/<name>/index.mjs: one ES module per function, SDK clients included and
 * tree-shaken, so the code that runs is exactly the code that was tested.
 */
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { LAMBDA_BUNDLES_DIR, LAMBDAS_DIR, ROOT } from './paths';

/** Node target of the bundles; matches LAMBDA_RUNTIME in templates/core/constants.ts. */
export const BUNDLE_TARGET = 'node22';
export const SHARED_LAMBDA_FOLDER = 'common';
/** Lambda credentials always arrive in environment variables; see that module. */
export const LAMBDA_CREDENTIAL_PROVIDER = path.join(ROOT, 'lambdas', 'common', 'aws', 'lambdaCredentialProvider.ts');

export interface BundleResult {
  readonly name: string;
  readonly file: string;
  readonly bytes: number;
}

export function lambdaNames(lambdasDir = LAMBDAS_DIR): string[] {
  if (!fs.existsSync(lambdasDir)) return [];
  return fs
    .readdirSync(lambdasDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name !== SHARED_LAMBDA_FOLDER)
    .filter((entry) => fs.existsSync(path.join(lambdasDir, entry.name, 'index.ts')))
    .map((entry) => entry.name)
    .sort();
}

export async function bundleLambdas(lambdasDir = LAMBDAS_DIR, outDir = LAMBDA_BUNDLES_DIR): Promise<BundleResult[]> {
  const results: BundleResult[] = [];
  for (const name of lambdaNames(lambdasDir)) {
    const file = path.join(outDir, name, 'index.mjs');
    await build({
      entryPoints: [path.join(lambdasDir, name, 'index.ts')],
      outfile: file,
      bundle: true,
      platform: 'node',
      // Prefer the ES-module builds of dependencies (the AWS SDK ships both): only they tree-shake.
      mainFields: ['module', 'main'],
      alias: { '@aws-sdk/credential-provider-node': LAMBDA_CREDENTIAL_PROVIDER },
      target: BUNDLE_TARGET,
      format: 'esm',
      minify: true,
      // Error classes are named after their class (PrefectEcsStackError), and the Lambda runtime
      // reports errorType as error.name: minified names would say "je" instead of "ConfigError".
      keepNames: true,
      legalComments: 'none',
      logLevel: 'warning',
      // Some CommonJS dependencies call require() for Node built-ins; give the ES module one.
      banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    });
    results.push({ name, file, bytes: fs.statSync(file).size });
  }
  return results;
}
