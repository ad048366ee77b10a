// Removes the run's temporary directory (see globalSetup.cjs), then fails the run if a test
// wrote to build/: tests write only to temporary directories.
const fs = require('node:fs');
const path = require('node:path');
const { buildState, buildChanges } = require('./buildState.cjs');

module.exports = async () => {
  const dir = process.env.PES_TEST_RUN_TMPDIR;
  if (!dir) return;
  const before = JSON.parse(fs.readFileSync(path.join(dir, 'build-state.json'), 'utf8'));
  fs.rmSync(dir, { recursive: true, force: true });
  const changes = buildChanges(before, buildState());
  if (changes.length > 0) throw new Error(`tests wrote to build/ (they must use temporary directories): ${changes.slice(0, 10).join(', ')}`);
};
