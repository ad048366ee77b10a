/**
 * Prefect 3.6.28's own code, run with Python from the git mirror: each file is read with
 * `git show <tag>:<path>` into a temporary directory this module removes, never copied into the
 * repository. What it answers for the cases of ./cases.ts is the parity table (./table.ts).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Json } from '../../../lambdas/registrar/manifest/placeholders';
import { BLOCKS, CRONS, NOWS, RESOLVE_TEMPLATES, RRULES, STEP_TEMPLATES, STEP_VALUES, VARIABLES } from './cases';
import { mirrorCommit, mirrorHasTag, requireSourceAt } from '../prefectMirror';
import { NOT_SET, TAG, type ParityTable } from './table';

export { PREFECT_MIRROR as MIRROR } from '../prefectMirror';

/** Whether the Prefect git mirror with the tag is on this machine (CI's clean clone has none). */
export const hasMirror = (): boolean => mirrorHasTag(TAG);

const show = (file: string): string => requireSourceAt(TAG, file);

/** The text of `source` from the last `from` before `to` (past any @overload stubs) up to `to`. */
function slice(source: string, from: string, to: string): string {
  const end = source.indexOf(to);
  const start = source.lastIndexOf(from, end);
  if (start < 0 || end < 0) throw new Error(`cannot find ${from} ... ${to} in Prefect ${TAG}`);
  return source.slice(start, end);
}

/**
 * Prefect's modules as they are at the tag, importable: the vendored croniter package (with an
 * empty pytz: it only needs the import to succeed), templating/__init__.py, and from files that
 * import half of Prefect only the functions needed (get_from_dict; validate_cron_string and
 * normalize_rrule_string with its anchor and _prepend_dtstart), with the few imports stubbed
 * (a pass-through inject_client, a logger, the NotSet sentinel).
 */
function prefectModules(dir: string): void {
  const validators = show('src/prefect/_internal/schemas/validators.py');
  const files: Record<string, string> = {
    'pytz.py': 'utc = None\n',
    'prefect/__init__.py': '',
    'prefect/_vendor/__init__.py': '',
    'prefect/_vendor/croniter/__init__.py': show('src/prefect/_vendor/croniter/__init__.py'),
    'prefect/_vendor/croniter/croniter.py': show('src/prefect/_vendor/croniter/croniter.py'),
    'prefect/client/__init__.py': '',
    'prefect/client/utilities.py': 'def inject_client(fn):\n    return fn\n',
    'prefect/logging/__init__.py': '',
    'prefect/logging/loggers.py': 'import logging\ndef get_logger(name):\n    return logging.getLogger(name)\n',
    'prefect/utilities/__init__.py': '',
    'prefect/utilities/annotations.py': 'class NotSet:\n    pass\n',
    'prefect/utilities/collections.py': 'from __future__ import annotations\nfrom typing import Optional, TypeVar, Union, cast\nVT = TypeVar("VT")\nR = TypeVar("R")\nNestedDict = dict\n\n'
      + slice(show('src/prefect/utilities/collections.py'), 'def get_from_dict(', 'def set_in_dict('),
    'prefect/utilities/templating/__init__.py': show('src/prefect/utilities/templating/__init__.py'),
    'prefect_validators.py': 'from __future__ import annotations\nimport datetime\nfrom typing import Optional\n\n'
      + slice(validators, 'def validate_cron_string(', '# approx. 1 years') + slice(validators, 'DEFAULT_RRULE_ANCHOR = ', '_T = TypeVar('),
  };
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
}

function python(dir: string, script: string, input: unknown): unknown {
  const run = spawnSync('python3', ['-c', script], { input: JSON.stringify(input), encoding: 'utf8', cwd: dir, env: { ...process.env, PYTHONPATH: dir } });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout);
}

const CRON = `
import json, sys
from prefect_validators import validate_cron_string
def valid(v):
    try: validate_cron_string(v); return True
    except ValueError: return False
print(json.dumps([valid(c) for c in json.load(sys.stdin)]))`;

const RRULE = `
import datetime, json, sys
from prefect_validators import normalize_rrule_string
data = json.load(sys.stdin)
print(json.dumps([[normalize_rrule_string(r, now=datetime.datetime.fromisoformat(n)) for n in data["nows"]] for r in data["rules"]]))`;

const APPLY_VALUES = `
import json, sys
from prefect.utilities.templating import apply_values
from prefect.utilities.annotations import NotSet
data = json.load(sys.stdin)
out = []
for remove in (True, False):
    for t in data["templates"]:
        r = apply_values(t, data["values"], remove_notset=remove, skip_prefixes=["ctx."])
        out.append(data["not_set"] if r is NotSet else r)
print(json.dumps(out))`;

const RESOLVE = `
import asyncio, json, sys
from prefect.utilities.templating import resolve_block_document_references, resolve_variables
data = json.load(sys.stdin)
class Doc:
    def __init__(self, data): self.data = data
class Var:
    def __init__(self, value): self.value = value
class Client:
    async def read_block_document_by_name(self, name, block_type_slug):
        return Doc(data["blocks"][block_type_slug + "/" + name])
    async def read_variable_by_name(self, name):
        return Var(data["variables"][name]) if name in data["variables"] else None
async def main():
    out = []
    for t in data["templates"]:
        r = await resolve_block_document_references(t, client=Client())
        out.append(await resolve_variables(r, client=Client()))
    print(json.dumps(out))
asyncio.run(main())`;

const TEMPLATING = `${TAG}:src/prefect/utilities/templating/__init__.py`;

/** What Prefect's code at the tag answers for every case, read from the mirror. */
export function prefectTable(): ParityTable {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pes-parity-'));
  try {
    prefectModules(dir);
    const valid = python(dir, CRON, CRONS) as boolean[];
    const stored = python(dir, RRULE, { rules: RRULES, nows: NOWS }) as string[][];
    const applied = python(dir, APPLY_VALUES, { templates: STEP_TEMPLATES, values: STEP_VALUES, not_set: NOT_SET }) as Json[];
    const resolved = python(dir, RESOLVE, { templates: RESOLVE_TEMPLATES, blocks: BLOCKS, variables: VARIABLES }) as Json[];
    return {
      prefect: { tag: TAG, commit: mirrorCommit(TAG) },
      generatedBy: 'npm run parity:update (test/support/prefectParity/writeTable.ts), from the cases in test/support/prefectParity/cases.ts',
      cron: {
        source: `${TAG}:src/prefect/_internal/schemas/validators.py:L272-L283 (validate_cron_string) on ${TAG}:src/prefect/_vendor/croniter/croniter.py`,
        rows: CRONS.map((cron, i) => ({ cron, valid: valid[i]! })),
      },
      rrule: {
        source: `${TAG}:src/prefect/_internal/schemas/validators.py:L313-L422 (normalize_rrule_string, DEFAULT_RRULE_ANCHOR, _prepend_dtstart)`,
        rows: RRULES.flatMap((rule, i) => NOWS.map((now, j) => ({ rule, now, stored: stored[i]![j]! }))),
      },
      applyValues: {
        source: `${TEMPLATING}:L99-L251 (apply_values) with ${TAG}:src/prefect/utilities/collections.py:L618-L676 (get_from_dict); skip_prefixes ["ctx."]`,
        values: STEP_VALUES,
        rows: [true, false].flatMap((removeNotSet, r) => STEP_TEMPLATES.map((template, i) => ({ template, removeNotSet, result: applied[r * STEP_TEMPLATES.length + i]! }))),
      },
      resolve: {
        source: `${TEMPLATING}:L254-L406 (resolve_block_document_references), then ${TEMPLATING}:L408-L468 (resolve_variables)`,
        blocks: BLOCKS,
        variables: VARIABLES,
        rows: RESOLVE_TEMPLATES.map((template, i) => ({ template, result: resolved[i]! })),
      },
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
