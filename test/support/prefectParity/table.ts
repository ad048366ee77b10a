/**
 * The parity table: inputs and what Prefect 3.6.28's own code answered for them, committed as
 * test/fixtures/prefect/parity-3.6.28.json so CI (which has no Prefect git mirror) checks our
 * TypeScript ports against Prefect's answers. Written by `npm run parity:update`
 * (test/support/prefectParity/writeTable.ts); where the mirror exists, a test re-runs Prefect's
 * code and checks the table is still what it answers.
 */
import fs from 'node:fs';
import type { Json } from '../../../lambdas/registrar/manifest/placeholders';

export const TAG = '3.6.28';
export const TABLE_FILE = `test/fixtures/prefect/parity-${TAG}.json`;
/** apply_values's NotSet sentinel, written into the table as this string. */
export const NOT_SET = '<NotSet>';

export interface ParitySection<Row> {
  /** Prefect's code that answered, as tag:path:lines. */
  readonly source: string;
  readonly rows: readonly Row[];
}

export interface ParityTable {
  readonly prefect: { readonly tag: string; readonly commit: string };
  readonly generatedBy: string;
  readonly cron: ParitySection<{ readonly cron: string; readonly valid: boolean }>;
  readonly rrule: ParitySection<{ readonly rule: string; readonly now: string; readonly stored: string }>;
  readonly applyValues: ParitySection<{ readonly template: Json; readonly removeNotSet: boolean; readonly result: Json }> & { readonly values: Json };
  readonly resolve: ParitySection<{ readonly template: Json; readonly result: Json }> & {
    readonly blocks: Readonly<Record<string, Record<string, Json>>>;
    readonly variables: Readonly<Record<string, Json>>;
  };
}

export const readTable = (): ParityTable => JSON.parse(fs.readFileSync(TABLE_FILE, 'utf8')) as ParityTable;
