// One temporary directory per test run: every test, script and tool it starts writes its
// temporary files there (TMPDIR is what os.tmpdir(), Python's tempfile and mktemp read), and
// globalTeardown.cjs removes it, so a run leaves nothing behind in the system's /tmp.
// It also notes the state of build/, which no test may touch (globalTeardown.cjs checks).
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { buildState } = require('./buildState.cjs');

module.exports = async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pes-test-run-'));
  fs.writeFileSync(path.join(dir, 'build-state.json'), JSON.stringify(buildState()));
  process.env.PES_TEST_RUN_TMPDIR = dir;
  process.env.TMPDIR = dir;
};
