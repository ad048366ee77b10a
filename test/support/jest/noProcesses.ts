/**
 * Unit tests start no external process: every way of starting one throws, naming the call, so a
 * test that needs a tool, a script or a server (esbuild, cfn-lint, moto_server, tsx) fails here
 * and belongs under test/integration/.
 */
// Function declarations: ts-jest hoists jest.mock() above everything but them.
function guardedChildProcess(): typeof import('node:child_process') {
  const refuse = (name: string) => () => {
    throw new Error(`unit tests start no external process (child_process.${name}); move this test under test/integration/`);
  };
  const names = ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork'];
  return { ...jest.requireActual('node:child_process'), ...Object.fromEntries(names.map((name) => [name, refuse(name)])) };
}

jest.mock('node:child_process', guardedChildProcess);
jest.mock('child_process', guardedChildProcess);
