import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ToolFailedError, ToolMissingError } from '../../scripts/lib/errors';
import { runTool, runToolInBackground } from '../../scripts/lib/run';

let dir: string;
beforeAll(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pes-run-'))));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('running an external tool', () => {
  it('names a tool that cannot run instead of passing on a raw spawn error', async () => {
    const notExecutable = path.join(dir, 'cfn-lint');
    fs.writeFileSync(notExecutable, '#!/bin/sh\n', { mode: 0o644 });
    for (const run of [() => runTool(notExecutable, []), () => runToolInBackground(notExecutable, [])]) {
      const error = await Promise.resolve().then(run).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ToolFailedError);
      expect([(error as Error).message, ((error as Error).cause as NodeJS.ErrnoException).code]).toEqual([expect.stringMatching(/^cfn-lint could not run: .*EACCES/), 'EACCES']);
    }
  });

  it('says a missing tool is missing', async () => {
    expect(() => runTool(path.join(dir, 'absent'), [])).toThrow(ToolMissingError);
    await expect(runToolInBackground(path.join(dir, 'absent'), [])).rejects.toThrow(ToolMissingError);
  });
});
