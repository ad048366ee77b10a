import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkAgainstLastSynth, recordSynthFlags } from '../../scripts/lib/config/lastSynth';
import { optionArguments, resolveStackOptions, STACK_OPTIONS } from '../../scripts/lib/config/stackOptions';
import { StackConfigError } from '../../scripts/lib/errors';
import { resolveWorkerStackOptions } from '../../templates/parameters/options';

let dir: string;
const write = (name: string, text: string) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
};
const MANIFEST = fs.readFileSync('prefect.yaml', 'utf8');

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pes-options-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('synth options from stack.config.yaml and flags', () => {
  it('declares a key and a flag for every option the builders take', () => {
    const resolved = resolveWorkerStackOptions();
    const keys = [...Object.keys(resolved).filter((k) => k !== 'scaling'), ...Object.keys(resolved.scaling).map((k) => `scaling.${k}`), 'manifest'];
    expect(STACK_OPTIONS.map((o) => o.key).sort()).toEqual(keys.sort());
  });

  it('reads the file, resolves the manifest next to it, and lets a flag win', () => {
    write('prefect.yaml', MANIFEST);
    const config = write('stack.config.yaml', 'workPoolName: ecs-pool\nscaling:\n  maxWorkers: 5\nmanifest: prefect.yaml\n');
    const resolved = resolveStackOptions({ 'stack-config': config, 'max-workers': '7' });
    expect(resolved.options.workPoolName).toBe('ecs-pool');
    expect(resolved.options.scaling).toEqual({ maxWorkers: 7 });
    expect(resolved.options.manifest!.text).toBe(MANIFEST);
    expect(resolved.values.manifest).toBe(path.join(dir, 'prefect.yaml'));
    expect(resolved.fromFlags).toEqual({ 'scaling.maxWorkers': 'max-workers' });
  });

  it.each<[string, string, RegExp]>([
    ['a misspelled key, with the near one', 'scaling:\n  maxWorker: 3\n', /stack\.config\.yaml: unknown option scaling\.maxWorker \(did you mean scaling\.maxWorkers\?\); known: /],
    ['a top-level key that belongs under scaling', 'maxWorkers: 3\n', /unknown option maxWorkers \(did you mean scaling\.maxWorkers\?\)/],
    ['a value out of range, with the builders\' own message', 'scaling:\n  maxWorkers: 0\n', /^[^ ]*stack\.config\.yaml: scaling\.maxWorkers must be a whole number from 1 to 100 \(got 0\)$/],
    ['a number written as text', 'scaling:\n  maxWorkers: "5"\n', /scaling\.maxWorkers must be a whole number from 1 to 100 \(got "5"\)/],
    ['a list where a string belongs', 'workPoolName: [a]\n', /stack\.config\.yaml: workPoolName must be a non-empty string \(got \["a"\]\)/],
    ['a bad worker size', 'workerSize: 300/512\n', /stack\.config\.yaml: workerSize must be a valid Fargate "cpu\/memory" pair/],
    ['a missing manifest file', 'manifest: nope.yaml\n', /stack\.config\.yaml: manifest .*nope\.yaml does not exist/],
    ['a file that is not a mapping', '- a\n- b\n', /stack\.config\.yaml: the file must be a mapping of options/],
    ['YAML that does not parse', 'a: [\n', /stack\.config\.yaml: is not valid YAML/],
  ])('refuses %s, naming the file', (_name, text, message) => {
    const config = write('stack.config.yaml', text);
    expect(() => resolveStackOptions({ 'stack-config': config })).toThrow(message);
  });

  it.each<[string, Record<string, string>, string]>([
    ['a word for a number', { 'max-workers': 'lots' }, '--max-workers must be a whole number from 1 to 100 (got "lots")'],
    ['two flags that disagree, naming both', { 'min-workers': '5', 'max-workers': '2' }, '--min-workers must not exceed --max-workers=2 (got 5)'],
    ['an unpinned image', { 'worker-image': 'prefecthq/prefect-aws:latest' }, '--worker-image must be pinned to a version tag or a sha256 digest, not "latest" or untagged (got "prefecthq/prefect-aws:latest")'],
  ])('refuses %s, naming the flag', (_name, flags, message) => {
    expect(() => resolveStackOptions(flags)).toThrow(StackConfigError);
    expect(() => resolveStackOptions(flags)).toThrow(message);
  });

  it('names the flag when --stack-config or --manifest points at a directory', () => {
    expect(() => resolveStackOptions({ 'stack-config': dir })).toThrow(`--stack-config ${dir} is a directory, not a file`);
    expect(() => resolveStackOptions({ manifest: dir })).toThrow(/--manifest .* is a directory, not a file/);
  });

  it('spells the flags again for another command', () => {
    expect(optionArguments({ manifest: 'prefect.yaml', 'max-workers': '4', 'config-env': 'prod', json: true })).toEqual(['--max-workers=4', '--manifest=prefect.yaml']);
  });
});

describe('a flag given only to synth', () => {
  it('makes deploy and publish refuse to build without it, and nothing else does', () => {
    write('prefect.yaml', MANIFEST);
    const manifest = path.join(dir, 'prefect.yaml');
    recordSynthFlags(dir, resolveStackOptions({ manifest, 'max-workers': '4' }));
    expect(() => checkAgainstLastSynth(dir, resolveStackOptions({}), 'deploy')).toThrow(
      /^the last npm run synth used --max-workers 4 --manifest .*prefect\.yaml, which this deploy would build without: .*"scaling\.maxWorkers: 4", "manifest: .*prefect\.yaml" in stack\.config\.yaml/,
    );
    expect(() => checkAgainstLastSynth(dir, resolveStackOptions({ manifest, 'max-workers': '4' }), 'deploy')).not.toThrow();
    const config = write('stack.config.yaml', `manifest: prefect.yaml\nscaling:\n  maxWorkers: 4\n`);
    expect(() => checkAgainstLastSynth(dir, resolveStackOptions({ 'stack-config': config }), 'publish')).not.toThrow();
    recordSynthFlags(dir, resolveStackOptions({}));
    expect(() => checkAgainstLastSynth(dir, resolveStackOptions({}), 'deploy')).not.toThrow();
  });

  it('is no obstacle before any synth', () => {
    expect(() => checkAgainstLastSynth(path.join(dir, 'never-built'), resolveStackOptions({}), 'deploy')).not.toThrow();
  });
});
