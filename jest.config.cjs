// Sources are ES modules (tsx runs the scripts, esbuild bundles the Lambdas); jest runs them
// through ts-jest as CommonJS, which avoids Node's experimental VM-modules flag.
// Two projects: "unit" (everything outside test/integration/, refused any child process by
// test/support/jest/noProcesses.ts) and "integration" (moto_server, cfn-lint, the scripts).
// Every run gets its own temporary directory, removed at the end (test/support/jest/).
const common = {
  // The transform cache lives with the dependencies, not in the system's temporary directory.
  cacheDirectory: '<rootDir>/node_modules/.cache/jest',
  testEnvironment: 'node',
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: { module: 'commonjs', esModuleInterop: true } }],
  },
  // A test that writes to the console fails (test/support/jest/noConsole.ts).
  setupFilesAfterEnv: ['<rootDir>/test/support/jest/noConsole.ts'],
};

/** @type {import('jest').Config} */
module.exports = {
  globalSetup: '<rootDir>/test/support/jest/globalSetup.cjs',
  globalTeardown: '<rootDir>/test/support/jest/globalTeardown.cjs',
  // Integration tests start moto_server and run cfn-lint; give them room on a 2-core machine.
  testTimeout: 120000,
  maxWorkers: 2,
  projects: [
    {
      ...common,
      displayName: 'unit',
      roots: ['<rootDir>/test'],
      testPathIgnorePatterns: ['/test/integration/'],
      setupFiles: ['<rootDir>/test/support/jest/noProcesses.ts'],
    },
    { ...common, displayName: 'integration', roots: ['<rootDir>/test/integration'] },
  ],
};
