/**
 * The inputs of the parity table (test/fixtures/prefect/parity-3.6.28.json): what we ask Prefect
 * 3.6.28's own code, and our TypeScript ports, to answer. Add a case here, then run
 * `npm run parity:update` on a machine with the Prefect git mirror and commit the table.
 */
import type { Json } from '../../../lambdas/registrar/manifest/placeholders';

/** Crons for validate_cron_string (croniter.is_valid, then the R/H rule). */
export const CRONS: readonly string[] = [
  '0 2 * * *', '*/5 * * * *', '0 25 * * *', '0 2 * *', '0 2 * * * 30', '0 2 * * * 30 2030', '0 2 * * * * * *', '@daily', '@HOURLY', '@reboot',
  '0 2 * jan-mar mon-fri', '0 2 * * mon#2', '0 2 * * mon#6', '0 2 * * 1,mon#2', '0 2 L * *', '0 2 1-l * *', '0 2 ? * *', '0 ? * * *', '0 2 * * 7',
  '0 2 0 * *', '60 * * * *', '0-59/0 * * * *', '5/15 * * * *', '*/a * * * *', '0 2 * * sun-sat', '0 2 * dec-feb *', '0 2 31 2 *', '-1 * * * *',
  '0 0 * * 5-1', 'R * * * *', 'H * * * *', '0 0 1 0 *', '0 2 * * L5', 'foo', '', '0 2 * * MON', '0 2 * * 8', '0 0 1 * * 0 1969',
];

/** Rrules and server clocks (UTC, naive as the server's `now`) for normalize_rrule_string. */
export const RRULES: readonly string[] = [
  'FREQ=DAILY', 'RRULE:FREQ=DAILY', 'freq=daily', 'FREQ=HOURLY;INTERVAL=2', 'FREQ=MINUTELY', 'FREQ=MINUTELY;INTERVAL=15', 'FREQ=SECONDLY;INTERVAL=7', 'RRULE:FREQ=MINUTELY;INTERVAL=5',
  'FREQ=MINUTELY;COUNT=3', 'FREQ=MINUTELY;UNTIL=20300101T000000', 'DTSTART:20240101T090000\nRRULE:FREQ=DAILY', 'dtstart:20240101T090000\nRRULE:FREQ=MINUTELY', 'RRULE:FREQ=DAILY\nRRULE:FREQ=WEEKLY',
  'RRULE:FREQ=MINUTELY\nEXDATE:20240101T000000', 'RDATE:20240101T000000', 'FREQ=SOMETIMES', 'FREQ=DAILY;INTERVAL=x', 'BYDAY=MO', 'nonsense', 'X-FOO:1\nRRULE:FREQ=DAILY',
];
export const NOWS: readonly string[] = ['2026-03-01T10:17:42.123', '2019-06-01T00:00:00', '2020-01-01T00:00:00', '2020-01-01T00:00:59.999'];

/** Step outputs and templates for apply_values, each with remove_notset true and false, skip_prefixes ["ctx."]. */
export const STEP_VALUES: Json = { build_image: { image: 'reg/repo@sha256:ab', tag: 'v1', n: 3, none: null, list: ['a', 'b'], nested: { k: true } }, image: 'reg/repo@sha256:ab', tag: 'v1' };
export const STEP_TEMPLATES: readonly Json[] = [
  '{{ build_image.image }}', '{{image}}', 'x-{{ build_image.tag }}-y', '{{ build_image.n }}', 'n={{ build_image.n }}', '{{ build_image.none }}', 'v={{ build_image.none }}',
  '{{ build_image.list[1] }}', '{{ build_image.list.0 }}', '{{ build_image.list[-1] }}', '{{ build_image.tag[0] }}', '{{ build_image.nested }}', 'is {{ build_image.nested.k }}',
  '{{ missing }}', 'a{{ missing }}b', '{{ $UNSET_FOR_PARITY }}', 'x{{ $UNSET_FOR_PARITY }}', '{{ ctx.flow_run.name }}', 'job-{{ ctx.flow.name }}/{{ tag }}',
  '{{ prefect.variables.v }}', '{{ a b }}', '{{ build_image.image }} and {{ tag }}', { k: '{{ missing }}', j: ['{{ tag }}', 'lit'] }, 7, true, null,
  ['{{ missing }}', 'kept in pull steps'],
];

/** Blocks (by "<type slug>/<name>"), variables and templates for resolve_block_document_references, then resolve_variables. */
export const BLOCKS: Readonly<Record<string, Record<string, Json>>> = {
  'secret/token': { value: 's3cret' }, 'json/cfg': { value: { cpu: 2048, list: [{ k: 'v' }] } }, 'aws-credentials/prod': { region: 'eu-west-1', key: 'k' },
};
export const VARIABLES: Readonly<Record<string, Json>> = { owner: 'team', n: 3, flag: true, obj: { a: [1, null] } };
export const RESOLVE_TEMPLATES: readonly Json[] = [
  '{{ prefect.blocks.secret.token }}', '{{ prefect.blocks.json.cfg }}', '{{ prefect.blocks.json.cfg.value.cpu }}', '{{ prefect.blocks.json.cfg.cpu }}', '{{ prefect.blocks.json.cfg.list[0].k }}',
  '{{ prefect.blocks.aws-credentials.prod }}', '{{ prefect.blocks.aws-credentials.prod.region }}', '{{ prefect.variables.owner }}', '{{ prefect.variables.n }}', 'by {{ prefect.variables.owner }} n={{ prefect.variables.n }}',
  'flag {{ prefect.variables.flag }}', 'obj {{ prefect.variables.obj }}', '{{ prefect.variables.obj }}', '{{ prefect.variables.missing }}', 'a{{ prefect.variables.missing }}b', { k: ['{{ prefect.variables.n }}'] },
];
