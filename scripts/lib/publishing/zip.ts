/**
 * Deterministic zip archives of bundle folders (sorted entries, fixed timestamps), so the same
 * bundle gives the same bytes and content-addressed keys stay stable. Uses fflate: small, no
 * native code, and it lets us fix the timestamps.
 */
import { zipSync, type Zippable } from 'fflate';
import fs from 'node:fs';
import path from 'node:path';

const FIXED_MTIME = new Date('1980-01-01T00:00:00Z');

function filesUnder(dir: string, prefix = ''): [string, string][] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      const name = prefix ? `${prefix}/${entry.name}` : entry.name;
      return entry.isDirectory() ? filesUnder(full, name) : [[name, full] as [string, string]];
    });
}

export function zipFolder(dir: string): Uint8Array {
  const entries: Zippable = {};
  for (const [name, file] of filesUnder(dir)) entries[name] = [fs.readFileSync(file), { mtime: FIXED_MTIME, level: 9 }];
  return zipSync(entries);
}
