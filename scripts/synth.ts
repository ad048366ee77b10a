/**
 * npm run synth [-- options]: synthesize every published template (JSON + YAML), bundle every
 * Lambda, validate with cfn-lint, cfn-guard, AWS CloudFormation Validate and cdk-nag, and print a
 * summary. Synth options (template defaults, the registrar's manifest) come from
 * stack.config.yaml and flags; see --help. Exits 1 when anything fails.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { bundleLambdas } from './lib/bundle';
import { defineCommand } from './lib/cli/flags';
import { runCommand } from './lib/cli/runCommand';
import { recordSynthFlags } from './lib/config/lastSynth';
import { resolveStackOptions, STACK_OPTION_FLAGS } from './lib/config/stackOptions';
import { BUILD_DIR, ROOT } from './lib/paths';
import { staleExemptions } from './lib/validation/cfnGuard';
import { validatorLines } from './lib/validationSummary';
import { validateTemplates, validationPassed, writeTemplates } from './lib/synthesize';
import { describeSize } from './lib/templateStats';

const relative = (file: string) => path.relative(ROOT, file);

/**
 * cfn-lint, the SAM translator and moto come from pip: installed when missing (one line when that
 * fails), here rather than before the command, so --help and a wrong flag need none of them.
 */
const ensurePythonTools = () => spawnSync('bash', [path.join(ROOT, 'scripts/ensure-python-tools.sh')], { stdio: 'inherit' }).status === 0;

async function main(flags: Readonly<Record<string, unknown>>): Promise<number> {
  const started = Date.now();
  const resolved = resolveStackOptions(flags);
  if (!ensurePythonTools()) return 1;
  const manifestFile = resolved.options.manifest?.file;
  const from = [resolved.configFile, ...Object.values(resolved.fromFlags).map((flag) => `--${flag}`)].filter(Boolean);
  console.log(`1/3 synthesizing templates${from.length ? ` (options from ${from.join(', ')})` : ''}${manifestFile ? ` (registrar manifest: ${manifestFile})` : ''}`);
  const stacks = writeTemplates(undefined, resolved.options);
  recordSynthFlags(BUILD_DIR, resolved);

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

void runCommand(
  defineCommand({
    name: 'synth',
    summary:
      'Synthesizes every published template into build/ (JSON and YAML), bundles every Lambda, validates them (cfn-lint,\n' +
      'cfn-guard, AWS CloudFormation Validate, cdk-nag) and prints a summary. Synth options set the defaults of the template\n' +
      'parameters and store the registrar\'s manifest; they are read from stack.config.yaml when it exists, and a flag wins over\n' +
      'the file. npm run deploy and npm run publish read the same.',
    flags: STACK_OPTION_FLAGS,
    failure: 'an option, the manifest or a validation failed (the summary or the error says which)',
    run: (flags) => main(flags),
  }),
);
