// Sources are ES modules (tsx runs the scripts, esbuild bundles the Lambdas); jest runs them
// through ts-jest as CommonJS, which avoids Node's experimental VM-modules flag.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: { module: 'commonjs', esModuleInterop: true } }],
  },
  // Integration tests start moto_server and run cfn-lint; give them room on a 2-core machine.
  testTimeout: 120000,
  maxWorkers: 2,
};
