/**
 * npm run cost -- --stack worker|server [--param NAME=VALUE ...] [--json]
 *
 * An itemised monthly estimate in us-east-1 list prices for a stack configuration: the
 * template's defaults, overridden by --param (template parameters or usage assumptions).
 */
import { PUBLISHED_STACKS } from '../templates/stacks';
import { parseFlags, runCli } from './lib/args';
import { UsageError } from './lib/errors';
import { estimate, resolveInputs, total, USAGE_DEFAULTS } from './lib/cost/estimate';
import { parseParamArgs } from './lib/publishing/launchUrl';
import { PRICE_TABLE_DATE } from './lib/cost/pricing';

const USAGE = 'npm run cost -- --stack worker|server [--param NAME=VALUE ...] [--json]';

void runCli('cost', USAGE, () => {
  const flags = parseFlags(process.argv.slice(2), { values: ['stack'], repeated: ['param'], booleans: ['json'] });
  const stack = flags.values.stack;
  if (stack !== 'worker' && stack !== 'server') throw new UsageError('--stack must be worker or server');
  const template = PUBLISHED_STACKS.find((s) => s.name === stack)!.build();
  const inputs = resolveInputs(template.Parameters as never, parseParamArgs(flags.lists.param ?? []));
  const lines = estimate(stack, inputs);
  if (flags.booleans.has('json')) {
    console.log(JSON.stringify({ stack, region: 'us-east-1', priceTableDate: PRICE_TABLE_DATE, lines, totalMonthly: total(lines) }));
    return 0;
  }
  console.log(`Monthly estimate, ${stack} stack, us-east-1 list prices of ${PRICE_TABLE_DATE} (USD, before free tier and taxes)`);
  for (const line of lines) console.log(`  ${line.item.padEnd(40)}${line.monthly.toFixed(2).padStart(9)}   ${line.detail}`);
  console.log(`  ${'Total'.padEnd(40)}${total(lines).toFixed(2).padStart(9)}`);
  console.log(`Assumptions you can change with --param: ${Object.entries(USAGE_DEFAULTS).map(([k, d]) => `${k}=${inputs[k] ?? d}`).join(', ')}`);
  return 0;
});
