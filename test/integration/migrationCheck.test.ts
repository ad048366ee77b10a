/**
 * The HA migration container (templates/server/containers.ts): `sh -c MIGRATE_SCRIPT prefect-migrate
 * REVISION_CHECK`, run by a real /bin/sh with `python` and `prefect` on PATH standing in for the
 * image's (each records its arguments and exits as told), and the check's Python held to Prefect
 * 3.6.28's source: it compiles, and every Prefect name it imports or calls exists at that tag.
 * What it does against a real database is not run here (no PostgreSQL, no Prefect install).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrationContainer, MIGRATE_SCRIPT, REVISION_CHECK } from '../../templates/server/containers';
import { mirrorHasTag, noMirror, requireSourceAt } from '../support/prefectMirror';

const TAG = '3.6.28';
const HAS_MIRROR = mirrorHasTag(TAG);
/** Without the mirror (CI) the name check is skipped, and its title says why. */
const itWithMirror = HAS_MIRROR ? it : it.skip;
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'migrate-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** An executable that appends its name and arguments to calls.log and exits with `status`. */
function fake(name: string, status: number) {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\nprintf '%s\\n' "${name} $*" >> "${dir}/calls.log"\nexit ${status}\n`);
  chmodSync(path, 0o755);
}

function migrate(checkStatus: number, upgradeStatus: number) {
  rmSync(join(dir, 'calls.log'), { force: true });
  fake('python', checkStatus);
  fake('prefect', upgradeStatus);
  const result = spawnSync('/bin/sh', ['-c', MIGRATE_SCRIPT, 'prefect-migrate', 'CHECK-SOURCE'], { env: { PATH: `${dir}:/usr/bin:/bin` }, encoding: 'utf8' });
  let calls: string[] = [];
  try {
    calls = readFileSync(join(dir, 'calls.log'), 'utf8').trim().split('\n');
  } catch {
    calls = [];
  }
  return { status: result.status, calls };
}

describe('the migration container', () => {
  it('runs the check with the source as its argument, then the upgrade, and exits as the upgrade does', () => {
    expect(migrationContainer().Command).toEqual(['/bin/sh', '-c', MIGRATE_SCRIPT, 'prefect-migrate', REVISION_CHECK]);
    expect(migrate(0, 0)).toEqual({ status: 0, calls: ['python -c CHECK-SOURCE', 'prefect server database upgrade -y'] });
    expect(migrate(0, 1)).toEqual({ status: 1, calls: ['python -c CHECK-SOURCE', 'prefect server database upgrade -y'] });
  });

  it('exits 0 without upgrading when the check says the database is ahead of the image (exit 3), so a rollback starts the old services', () => {
    expect(migrate(3, 0)).toEqual({ status: 0, calls: ['python -c CHECK-SOURCE'] });
  });

  it('fails without upgrading when the check itself fails (no database, a Python error)', () => {
    expect(migrate(1, 0)).toEqual({ status: 1, calls: ['python -c CHECK-SOURCE'] });
  });

  it('checks in Python that compiles and exits 3 only with a loud message', () => {
    const file = join(dir, 'check.py');
    writeFileSync(file, REVISION_CHECK);
    const compiled = spawnSync('python3', ['-m', 'py_compile', file], { encoding: 'utf8' });
    expect(compiled.stderr).toBe('');
    expect(compiled.status).toBe(0);
    expect(REVISION_CHECK).toMatch(/print\("PREFECT-ECS-STACK MIGRATION SKIPPED: .*prefect server database downgrade.*file=sys\.stderr\)\n {4}sys\.exit\(3\)$/);
  });

  itWithMirror(`uses only Prefect names that exist at ${TAG}${HAS_MIRROR ? '' : ` (${noMirror(TAG)})`}`, () => {
    const show = (path: string) => ({ stdout: requireSourceAt(TAG, `src/prefect/${path}`) });
    expect(show('server/database/__init__.py').stdout).toMatch(/provide_database_interface/);
    expect(show('server/database/alembic_commands.py').stdout).toMatch(/^def alembic_config\(\) -> "Config":/m);
    expect(show('server/database/interface.py').stdout).toMatch(/async def engine\(self\)/);
    expect(show('server/database/interface.py').stdout).toMatch(/self\.orm = orm/);
    expect(show('server/database/orm_models.py').stdout).toMatch(/def versions_dir\(self\) -> Path:/);
    // env.py points Alembic at the same folder the check does.
    expect(show('server/database/_migrations/env.py').stdout).toMatch(/context\.script\.version_locations = \[db_interface\.orm\.versions_dir\]/);
  });
});
