/**
 * npm run bench:lambdas -- [--json]
 *
 * Bytes of each Lambda bundle and its module import time (median of 10 fresh Node processes,
 * taken round-robin across the bundles so machine load weighs on all alike),
 * next to reference bundles built in the same run: the bare ECS client, and ECS + Secrets
 * Manager clients bundled naively (CommonJS builds) and tree-shaken (ES module builds).
 */
import { build, type BuildOptions } from 'esbuild';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LambdaRuntimeEnv, RegistrarEnv } from '../../lambdas/registrar/env';
import { ScalerEnv } from '../../lambdas/scaler/env';
import { ScalerWebhookEnv } from '../../lambdas/scaler-webhook/env';
import { BUNDLE_TARGET, bundleLambdas } from '../lib/bundle';
import { withScratchDir } from '../lib/cli/files';
import { defineCommand } from '../lib/cli/flags';
import { runCommand } from '../lib/cli/runCommand';
import { ToolFailedError } from '../lib/errors';
import { ROOT } from '../lib/paths';

const RUNS = 10;

/** Settings so a handler module can initialise (it reads them at import); nothing is called. */
const IMPORT_ENV: Record<string, string> = {
  AWS_REGION: 'us-east-1',
  // Lambda sets it for every function; the registrar names its metrics' dimension with it.
  [LambdaRuntimeEnv.FunctionName]: 'bench',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  // A handler that reads a secret at start calls this closed loopback port, never AWS.
  AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
  [ScalerEnv.ApiUrl]: 'http://127.0.0.1:9/api',
  [ScalerEnv.AuthMode]: 'none',
  [ScalerEnv.WorkPool]: 'bench',
  [ScalerEnv.Cluster]: 'bench',
  [ScalerEnv.Service]: 'bench',
  [ScalerEnv.MinWorkers]: '0',
  [ScalerEnv.MaxWorkers]: '3',
  [ScalerEnv.SubmissionsPerWorker]: '10',
  [ScalerEnv.StuckPendingSeconds]: '600',
  [ScalerEnv.StuckPendingAction]: 'reschedule',
  [ScalerEnv.LookaheadSeconds]: '120',
  [ScalerEnv.IdleGraceSeconds]: '0',
  [RegistrarEnv.ManifestParameter]: '/bench/manifest',
  [ScalerWebhookEnv.TriggerQueueUrl]: 'http://127.0.0.1:9/123456789012/bench.fifo',
  [ScalerWebhookEnv.WebhookTokenSecretArn]: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:bench',
};

const REFERENCES: { name: string; source: string; mainFields: string[] }[] = [
  {
    name: 'reference: bare ECS client (tree-shaken)',
    source: "export { ECSClient, DescribeServicesCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';",
    mainFields: ['module', 'main'],
  },
  {
    name: 'reference: ECS + Secrets Manager, naive (CommonJS builds)',
    source:
      "export { ECSClient, DescribeServicesCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';\nexport { SecretsManagerClient, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';",
    mainFields: ['main', 'module'],
  },
  {
    name: 'reference: ECS + Secrets Manager, tree-shaken',
    source:
      "export { ECSClient, DescribeServicesCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';\nexport { SecretsManagerClient, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';",
    mainFields: ['module', 'main'],
  },
];

async function buildReference(source: string, mainFields: string[], outfile: string): Promise<void> {
  const options: BuildOptions = {
    stdin: { contents: source, resolveDir: ROOT, loader: 'ts' },
    outfile,
    bundle: true,
    platform: 'node',
    target: BUNDLE_TARGET,
    format: 'esm',
    minify: true,
    mainFields,
    logLevel: 'error',
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  };
  await build(options);
}

function importMilliseconds(file: string): number {
  const script = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); process.stdout.write(String(performance.now() - t));`;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, ...IMPORT_ENV },
  });
  if (child.status !== 0) throw new ToolFailedError('node', `importing ${file} failed: ${child.stderr}`);
  return Number(child.stdout);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function main(json: boolean, out: string): Promise<void> {
  const files: { name: string; file: string }[] = [];
  for (const [i, ref] of REFERENCES.entries()) {
    const file = path.join(out, `reference-${i}.mjs`);
    await buildReference(ref.source, ref.mainFields, file);
    files.push({ name: ref.name, file });
  }
  for (const bundle of await bundleLambdas(undefined, path.join(out, 'lambdas'))) files.push({ name: bundle.name, file: bundle.file });
  // Round-robin: each round imports every bundle once, so a busy moment of the machine slows all alike.
  const times = new Map(files.map((f) => [f.name, [] as number[]]));
  for (let run = 0; run < RUNS; run++) {
    if (!json) process.stderr.write(`round ${run + 1}/${RUNS} ...\n`);
    for (const f of files) times.get(f.name)!.push(importMilliseconds(f.file));
  }
  const rows = files.map((f) => ({ name: f.name, bytes: fs.statSync(f.file).size, importMs: Number(median(times.get(f.name)!).toFixed(1)) }));
  if (json) {
    console.log(JSON.stringify({ runs: RUNS, node: process.version, bundles: rows }));
    return;
  }
  console.log(`\nLambda bundles (import time: median of ${RUNS} fresh processes, Node ${process.version})`);
  for (const row of rows) console.log(`  ${row.name.padEnd(60)}${row.bytes.toLocaleString('en-US').padStart(10)} B${row.importMs.toFixed(1).padStart(9)} ms`);
}

void runCommand(
  defineCommand({
    name: 'bench:lambdas',
    summary:
      `Bytes of each Lambda bundle and its module import time (median of ${RUNS} fresh Node processes, round-robin), next to\n` +
      'reference bundles built in the same run: the bare ECS client, and ECS + Secrets Manager clients bundled naively and tree-shaken.',
    flags: { json: { type: 'boolean', description: 'print one JSON object: runs, Node version, bundles' } },
    failure: 'a bundle could not be built or imported (the line says which)',
    run: (flags) => withScratchDir('bench-lambdas', (out) => main(flags.json, out)),
  }),
);
