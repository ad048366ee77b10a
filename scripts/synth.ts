/**
 * npm run synth [-- --manifest prefect.yaml]: synthesize every published template (JSON +
 * YAML), bundle every Lambda, validate with cfn-lint and cfn-guard, and print a summary. With
 * --manifest, the registrar's prefect.yaml is validated and stored in the stack. Exits 1 when
 * anything fails.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseFlags } from './lib/args';
import { bundleLambdas } from './lib/bundle';
import { MissingFileError } from './lib/errors';
import { formatFinding } from './lib/validation/cfnLint';
import { ROOT } from './lib/paths';
import { staleExemptions } from './lib/validation/cfnGuard';
import { validateTemplates, validationPassed, writeTemplates } from './lib/synthesize';
import { describeSize } from './lib/templateStats';

const relative = (file: string) => path.relative(ROOT, file);

async function main(): Promise<number> {
  const started = Date.now();
  const flags = parseFlags(process.argv.slice(2), { values: ['manifest'] });
  const manifestFile = flags.values.manifest;
  if (manifestFile && !fs.existsSync(manifestFile)) throw new MissingFileError(manifestFile, `--manifest ${manifestFile}`);
  console.log(`1/3 synthesizing templates${manifestFile ? ` (registrar manifest: ${manifestFile})` : ''}`);
  const stacks = writeTemplates(undefined, manifestFile ? { manifest: { file: manifestFile, text: fs.readFileSync(manifestFile, 'utf8') } } : {});

  console.log('2/3 bundling Lambdas');
  const bundles = await bundleLambdas();

  console.log('3/3 validating (cfn-lint on JSON and YAML, cfn-guard on the SAM expansion)');
  const validations = validateTemplates(stacks);

  console.log('\nSummary');
  for (const stack of stacks) {
    const validation = validations.find((v) => v.name === stack.name)!;
    const guard = validation.guard;
    console.log(`  ${stack.name}: ${stack.json.resources} resources, ${stack.json.parameters} parameters, ${stack.json.outputs} outputs`);
    console.log(`    ${relative(stack.files.json)}  ${describeSize(stack.json.bytes)}`);
    console.log(`    ${relative(stack.files.yaml)}  ${describeSize(stack.yaml.bytes)}`);
    console.log(`    cfn-lint: ${validation.lint.length === 0 ? 'no findings' : `${validation.lint.length} finding(s)`}`);
    for (const finding of validation.lint) console.log(`      ${formatFinding(finding)}`);
    console.log(
      `    cfn-guard: ${guard.ruleFiles} Control Tower rule files, ${guard.violations.length} violation(s), ` +
        `${guard.exempted.length} exempted finding(s) (reasons in scripts/lib/validation/guardExemptions.ts)`,
    );
    for (const v of guard.violations) console.log(`      FAIL ${v.rule} on ${v.resource}`);
  }
  const stale = staleExemptions(validations.map((v) => v.guard));
  for (const e of stale) console.log(`  STALE cfn-guard exemption ${e.rule} for ${e.resources.join(', ')}: it matches nothing in any template`);
  if (bundles.length === 0) console.log('  Lambdas: none under lambdas/ yet');
  for (const bundle of bundles) console.log(`  Lambda ${bundle.name}: ${relative(bundle.file)} ${bundle.bytes.toLocaleString('en-US')} B`);

  const passed = validations.every(validationPassed) && stale.length === 0;
  console.log(`\n${passed ? 'OK' : 'FAILED'}: ${stacks.length} template(s), ${bundles.length} bundle(s) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return passed ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? `synth failed: ${error.message}` : error);
    process.exit(1);
  },
);
