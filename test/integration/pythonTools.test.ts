/**
 * The Python tools on a fresh machine: scripts/ensure-python-tools.sh says in one line when no
 * package index is reachable, and the scripts find a tool pip put outside PATH.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const SCRIPT = path.resolve('scripts/ensure-python-tools.sh');

/** A folder with a stand-in `python3` (a shell script) in front of PATH. */
function fakePython(body: string): NodeJS.ProcessEnv {
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'pes-python-'));
  fs.writeFileSync(path.join(bin, 'python3'), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH}` };
}

const BASH = spawnSync('bash', ['-c', 'command -v bash'], { encoding: 'utf8' }).stdout.trim();
const ensure = (args: string[], env: NodeJS.ProcessEnv = process.env) => spawnSync(BASH, [SCRIPT, ...args], { encoding: 'utf8', env });

// What pip 23 prints with no index reachable (captured on this machine: python3 -m pip install cfn-lint==1.51.0).
const PIP_OFFLINE = [
  "WARNING: Retrying (Retry(total=0, connect=None, read=None, redirect=None, status=None)) after connection broken by 'NewConnectionError('<pip._vendor.urllib3.connection.HTTPSConnection object at 0x7f>: Failed to establish a new connection: [Errno -2] Name or service not known')': /simple/cfn-lint/",
  'ERROR: Could not find a version that satisfies the requirement cfn-lint==1.51.0 (from versions: none)',
  'ERROR: No matching distribution found for cfn-lint==1.51.0',
].join('\n');

describe('scripts/ensure-python-tools.sh', () => {
  it('prints nothing when the tools are importable', () => {
    const result = ensure([]);
    expect({ code: result.status, stdout: result.stdout, stderr: result.stderr }).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('says in one line that no package index is reachable, and fails', () => {
    // The stand-in reports cfn-lint missing, then answers the install as pip does offline.
    const env = fakePython(`[ "$1" = "-" ] && { cat >/dev/null; echo cfn-lint; exit 0; }\ncat >&2 <<'EOF'\n${PIP_OFFLINE}\nEOF\nexit 1`);
    const result = ensure([], env);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('Installing Python dev tools (missing: cfn-lint) from requirements-dev.txt\n');
    expect(result.stderr).toBe(
      'ensure-python-tools: cannot install cfn-lint: no Python package index is reachable (pip: ERROR: Could not find a version that satisfies the requirement cfn-lint==1.51.0 (from versions: none))\n',
    );
  });

  it('says how to get round an externally managed python3 (PEP 668), and fails', () => {
    // What pip 23 prints on Debian 12's python3 (the first lines of its PEP 668 refusal).
    const refusal = ['error: externally-managed-environment', '', '× This environment is externally managed', '╰─> To install Python packages system-wide, try apt install', 'hint: See PEP 668 for the detailed specification.'].join('\n');
    const env = fakePython(`[ "$1" = "-" ] && { cat >/dev/null; echo cfn-lint; exit 0; }\ncat >&2 <<'EOF'\n${refusal}\nEOF\nexit 1`);
    const result = ensure([], env);
    expect([result.status, result.stderr]).toEqual([
      1,
      'ensure-python-tools: cannot install cfn-lint: this python3 is externally managed (PEP 668); create a virtual environment and rerun: python3 -m venv .venv && . .venv/bin/activate\n',
    ]);
  });

  it('says in one line that python3 is missing', () => {
    // A PATH with dirname (the script's own need) and no python3.
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'pes-nopython-'));
    fs.symlinkSync(spawnSync(BASH, ['-c', 'command -v dirname'], { encoding: 'utf8' }).stdout.trim(), path.join(bin, 'dirname'));
    const result = ensure([], { ...process.env, PATH: bin });
    expect([result.status, result.stderr.split('\n')[0]]).toEqual([1, expect.stringMatching(/^ensure-python-tools: python3 is not on PATH: /)]);
  });

  it('follows the command-line convention', () => {
    expect(ensure(['--help']).status).toBe(0);
    expect(ensure(['--help']).stdout).toMatch(/^usage: bash scripts\/ensure-python-tools\.sh/);
    const wrong = ensure(['--nope']);
    expect(wrong.status).toBe(2);
    expect(wrong.stderr.split('\n')[0]).toBe('ensure-python-tools: unexpected argument "--nope"');
  });
});

describe('a Python tool outside PATH', () => {
  it('is found in python3\'s script folder', async () => {
    const scripts = fs.mkdtempSync(path.join(os.tmpdir(), 'pes-scripts-'));
    fs.writeFileSync(path.join(scripts, 'pes-fake-tool'), '#!/bin/sh\necho found\n', { mode: 0o755 });
    const env = fakePython(`echo ${scripts}; echo ${scripts}`);
    const saved = process.env.PATH;
    process.env.PATH = env.PATH;
    try {
      jest.resetModules();
      const { pythonTool } = await import('../../scripts/lib/run');
      expect(pythonTool('pes-fake-tool')).toBe(path.join(scripts, 'pes-fake-tool'));
      expect(pythonTool('pes-no-such-tool')).toBe('pes-no-such-tool');
    } finally {
      process.env.PATH = saved;
    }
  });
});
