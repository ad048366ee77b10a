/**
 * npm run parity:update
 *
 * Runs Prefect 3.6.28's code from the git mirror on the cases of ./cases.ts and writes what it
 * answered to the parity table (test/fixtures/prefect/parity-3.6.28.json). Read the diff before
 * committing it: a changed answer is a change in Prefect's behaviour or in the cases.
 */
import fs from 'node:fs';
import { MIRROR, hasMirror, prefectTable } from './prefectCode';
import { TABLE_FILE, TAG } from './table';

if (!hasMirror()) {
  console.error(`parity:update needs the Prefect git mirror with tag ${TAG} at ${MIRROR}`);
  process.exit(1);
}
/** Indented, but one row a line, so a changed answer is a one-line diff. */
const ROW = '"row-placeholder"';
const table = prefectTable();
const sections = Object.fromEntries(Object.entries(table).map(([key, value]) => [key, typeof value === 'object' && 'rows' in value ? { ...value, rows: value.rows.map(() => ROW) } : value]));
let text = JSON.stringify(sections, null, 2);
for (const section of Object.values(table)) {
  if (typeof section === 'object' && 'rows' in section) for (const row of section.rows) text = text.replace(JSON.stringify(ROW), () => JSON.stringify(row));
}
fs.writeFileSync(TABLE_FILE, `${text}\n`);
const written = JSON.parse(fs.readFileSync(TABLE_FILE, 'utf8')) as typeof table;
console.log(`${TABLE_FILE}: ${Object.entries(written).flatMap(([key, value]) => (typeof value === 'object' && 'rows' in value ? [`${value.rows.length} ${key}`] : [])).join(', ')} rows`);
