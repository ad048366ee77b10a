/**
 * npm run cost -- --stack worker|server [--param NAME=VALUE ...] [--json] [--stack-config FILE]
 *
 * An itemised monthly estimate in us-east-1 list prices for a stack configuration: the
 * template's defaults (with the synth options of stack.config.yaml), overridden by --param
 * (template parameters or usage assumptions), each checked before anything is priced.
 */
import { PUBLISHED_STACKS } from '../templates/stacks';
import { defineCommand } from './lib/cli/flags';
import { runCommand } from './lib/cli/runCommand';
import { resolveStackOptions, STACK_OPTION_FLAGS } from './lib/config/stackOptions';
import { FlagValueError } from './lib/errors';
import { estimate, resolveInputs, total, USAGE_DEFAULTS, warnings } from './lib/cost/estimate';
import { PRICE_TABLE_DATE } from './lib/cost/pricing';
import { parseParamArgs } from './lib/parameters/values';

void runCommand(
  defineCommand({
    name: 'cost',
    summary:
      'Prints an itemised monthly estimate in us-east-1 list prices for a stack configuration: the template\'s defaults\n' +
      `(with the synth options of stack.config.yaml), overridden by --param. Usage assumptions are parameters too: ${Object.keys(USAGE_DEFAULTS).join(', ')}.\n` +
      'Values are checked as CloudFormation would (type, range, allowed values, the template\'s Rules), and the usage must fit them.',
    flags: {
      stack: { type: 'string', placeholder: 'worker|server', required: true, description: 'the stack to price' },
      param: { type: 'string', placeholder: 'NAME=VALUE', multiple: true, description: 'a template parameter or a usage assumption' },
      json: { type: 'boolean', description: 'print one JSON object: the lines, the total, the price table date' },
      'stack-config': STACK_OPTION_FLAGS['stack-config'],
    },
    failure: 'a --param was refused (the line names it, the value and what is allowed)',
    run: (flags) => {
      const stack = PUBLISHED_STACKS.find((s) => s.name === flags.stack);
      if (stack?.name !== 'worker' && stack?.name !== 'server') throw new FlagValueError(`--stack must be worker or server (got ${JSON.stringify(flags.stack)})`);
      const template = stack.build(resolveStackOptions({ 'stack-config': flags['stack-config'] }).options);
      const inputs = resolveInputs(template, parseParamArgs(flags.param));
      const lines = estimate(stack.name, inputs);
      const notes = warnings(stack.name, inputs);
      if (flags.json) {
        console.log(JSON.stringify({ stack: stack.name, region: 'us-east-1', priceTableDate: PRICE_TABLE_DATE, lines, totalMonthly: total(lines), warnings: notes }));
        return;
      }
      for (const note of notes) console.error(`Warning: ${note}`);
      console.log(`Monthly estimate, ${stack.name} stack, us-east-1 list prices of ${PRICE_TABLE_DATE} (USD, before free tier and taxes)`);
      for (const line of lines) console.log(`  ${line.item.padEnd(40)}${line.monthly.toFixed(2).padStart(9)}   ${line.detail}`);
      console.log(`  ${'Total'.padEnd(40)}${total(lines).toFixed(2).padStart(9)}`);
      console.log(`Assumptions you can change with --param: ${Object.keys(USAGE_DEFAULTS).map((k) => `${k}=${inputs[k]}`).join(', ')}`);
    },
  }),
);
