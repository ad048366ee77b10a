/**
 * npm run synth [-- --manifest prefect.yaml]: synthesize every published template (JSON +
 * YAML), bundle every Lambda, validate with cfn-lint, cfn-guard, AWS CloudFormation Validate and
 * cdk-nag, and print a summary. With
 * --manifest, the registrar's prefect.yaml is validated and stored in the stack. Exits 1 when
 * anything fails.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseFlags } from './lib/args';
import { bundleLambdas } from './lib/bundle';
import { MissingFileError } from './lib/errors';
import { ROOT } from './lib/paths';
import { staleExemptions } from './lib/validation/cfnGuard';
import { validatorLines } from './lib/validationSummary';
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

  console.log('3/3 validating (cfn-lint on JSON and YAML; cfn-guard and cdk-nag on the SAM expansion; AWS CloudFormation Validate on both, under the parameter matrix)');
  const validations = await validateTemplates(stacks);

  console.log('\nSummary');
  for (const stack of stacks) {
    const validation = validations.find((v) => v.name === stack.name)!;
    console.log(`  ${stack.name}: ${stack.json.resources} resources, ${stack.json.parameters} parameters, ${stack.json.outputs} outputs`);
    console.log(`    ${relative(stack.files.json)}  ${describeSize(stack.json.bytes)}`);
    console.log(`    ${relative(stack.files.yaml)}  ${describeSize(stack.yaml.bytes)}`);
    for (const line of validatorLines(validation)) console.log(line);
  }
  const stale = [
    ...staleExemptions(validations.map((v) => v.guard)).map((e) => `cfn-guard exemption ${e.rule} for ${e.resources.join(', ')}`),
    ...staleExemptions(validations.map((v) => v.cfnValidate)).map((e) => `CloudFormation Validate exemption ${e.rule} for ${e.resources.join(', ')}`),
    ...staleExemptions(validations.map((v) => v.nag)).map((e) => `cdk-nag exemption ${e.rule} for ${e.resources.join(', ')}`),
  ];
  for (const e of stale) console.log(`  STALE ${e}: it matches nothing in any template`);
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
