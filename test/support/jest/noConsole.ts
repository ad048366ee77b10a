/**
 * `npm test` prints the test results and nothing else: a test (or the code it runs) that writes to
 * the console fails, naming the call, instead of adding a block to every run. A test that checks
 * what code logs spies on console itself (its spy replaces this one for that test).
 */
import { format } from 'node:util';

const METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;
const written: string[] = [];

for (const method of METHODS) {
  console[method] = (...args: unknown[]) => void written.push(`console.${method}: ${format(...args)}`);
}

afterEach(() => {
  const calls = written.splice(0);
  if (calls.length > 0) throw new Error(`the test wrote to the console (npm test's output is the test results):\n${calls.join('\n')}`);
});
