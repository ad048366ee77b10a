import fs from 'node:fs';
import { ManifestError } from '../../../lambdas/registrar/errors';
import { flowNameFromEntrypoint, tagMatches, watchedRepositories } from '../../../lambdas/registrar/manifest/check';
import { readManifest } from '../../../lambdas/registrar/manifest/fromYaml';
import { manifestFromParameter } from '../../../lambdas/registrar/manifestSource';
import fc from 'fast-check';

const FIXTURE = 'test/fixtures/manifests/prefect.yaml';
const text = fs.readFileSync(FIXTURE, 'utf8');
const read = (yaml: string) => readManifest(yaml, FIXTURE, { workPool: 'ecs-pool' });
/** The fixture with a deployment line replaced (first match). */
const edit = (from: string, to: string) => {
  expect(text).toContain(from);
  return text.replace(from, to);
};

describe('registrar manifest, read as prefect deploy reads it', () => {
  const { manifest, document } = read(text);

  it('reads deployments and ecr_triggers from a prefect.yaml; one repository per deployment', () => {
    expect(manifest.deployments.map((d) => [d.name, d.repository, d.tagPatterns])).toEqual([
      ['etl-daily', 'flows/etl', ['v*', 'main']],
      ['etl-backfill', 'flows/etl', ['v*', 'main']],
      ['report', 'flows/reports', ['release-*']],
    ]);
    expect(watchedRepositories(manifest)).toEqual(['flows/etl', 'flows/reports']);
    expect(manifest.deployments.map((d) => d.flowName)).toEqual(['run-etl', 'run-etl', 'weekly-report']);
    expect(flowNameFromEntrypoint('a/b.py:my_big_flow')).toBe('my-big-flow');
  });

  it('lets a deployment pull: override the top-level pull:, and knows the image step ids', () => {
    expect(manifest.deployments[0]!.pullSteps).toEqual([{ 'prefect.deployments.steps.set_working_directory': { directory: '/opt/prefect/flows' } }]);
    expect(manifest.deployments[2]!.pullSteps).toEqual([{ 'prefect.deployments.steps.set_working_directory': { directory: '/opt/prefect/reports' } }]);
    expect(manifest.deployments[0]!.imageSteps).toEqual(['build_image']);
  });

  it('gives the Lambda the same manifest from the stored JSON form', () => {
    const fromJson = manifestFromParameter(JSON.stringify(document), 'ssm:/m', { workPool: 'ecs-pool' });
    expect(fromJson.deployments).toEqual(manifest.deployments);
  });

  it('refuses YAML in the parameter with the command that converts it', () => {
    expect(() => manifestFromParameter(text, 'ssm:/m', {})).toThrow(/ssm:\/m: is not JSON \(YAML, perhaps\?\).*preview-registration -- --manifest prefect.yaml --json/);
  });

  it('keeps block, variable, env and step placeholders of pull steps for run time', () => {
    const yaml = edit(
      "      - prefect.deployments.steps.set_working_directory:\n          directory: /opt/prefect/reports",
      "      - prefect.deployments.steps.git_clone:\n          repository: https://github.com/org/repo\n          access_token: '{{ prefect.blocks.secret.github-token }}'\n          branch: '{{ $BRANCH }}'",
    );
    expect(read(yaml).manifest.deployments[2]!.pullSteps).toEqual([
      { 'prefect.deployments.steps.git_clone': { repository: 'https://github.com/org/repo', access_token: '{{ prefect.blocks.secret.github-token }}', branch: '{{ $BRANCH }}' } },
    ]);
  });

  it.each<[string, string, RegExp]>([
    ['a misspelled deployment key', edit('    description: Nightly', '    descriptoin: Nightly'), /deployment "etl-daily": descriptoin is not a key of a deployment \(did you mean "description"\?\)/],
    ['a misspelled top-level key', edit('ecr_triggers:', 'ecr_trigers:'), /top level: ecr_trigers is not a key of a prefect.yaml \(did you mean "ecr_triggers"\?\)/],
    ['a misspelled work_pool key', edit('      work_queue_name: nightly', '      work_queue: nightly'), /deployment "etl-daily": work_pool.work_queue is not a key of work_pool \(did you mean "work_queue_name"\?\)/],
    ['a misspelled schedule key', edit('        timezone: Europe/Berlin', '        time_zone: Europe/Berlin'), /deployment "etl-daily": schedules\[0\]\.time_zone is not a key of a schedule \(did you mean "timezone"\?\)/],
    ['a wrong type', edit('    paused: true', '    paused: sometimes'), /deployment "etl-backfill": paused must be a boolean or empty \(got "sometimes"\)/],
    ['a cron croniter refuses', edit('"0 2 * * *"', '"0 25 * * *"'), /schedules\[0\]\.cron "0 25 \* \* \*" is not a cron Prefect accepts: 25 is out of range 0-23/],
    ['a cron with 4 fields', edit('"0 2 * * *"', '"0 2 * *"'), /has 4 fields; croniter takes 5/],
    ['a hashed cron', edit('"0 2 * * *"', '"H 2 * * *"'), /random and hashed expressions/],
    ['an unknown time zone', edit('timezone: Europe/Berlin', 'timezone: Europe/Berlim'), /timezone "Europe\/Berlim" is not an IANA time zone name \(did you mean "Europe\/Berlin"\?\)/],
    ['a zero interval', edit('      - interval: 604800', '      - interval: 0'), /deployment "report": schedules\[0\]\.interval must be positive/],
    ['a bad interval', edit('      - interval: 604800', '      - interval: weekly'), /schedules\[0\]\.interval "weekly" is not a duration/],
    ['a bad rrule', edit('      - interval: 604800', '      - rrule: FREQ=SOMETIMES'), /schedules\[0\]\.rrule "FREQ=SOMETIMES" is not an RRule Prefect accepts/],
    ['two schedule kinds', edit('      - interval: 604800', '      - interval: 604800\n        cron: "0 1 * * *"'), /exactly one of cron, interval or rrule must be given \(got cron, interval\)/],
    ['the nested schedule form', edit('      - interval: 604800', '      - schedule: {interval: 604800}'), /nests schedule:, which prefect deploy cannot read/],
    ['an env placeholder', edit('    description: Nightly load into the warehouse', "    description: '{{ $GIT_SHA }}'"), /deployment "etl-daily"\.description has \{\{ \$GIT_SHA \}\}: environment placeholders cannot be resolved in the stack/],
    ['an embedded block placeholder', edit('    description: Nightly load into the warehouse', "    description: 'x-{{ prefect.blocks.secret.s }}'"), /a block placeholder must be the whole value/],
    ['an output of a step the registrar does not run', edit('    description: Nightly load into the warehouse', "    description: '{{ build_image.image_id }}'"), /knows \{\{ build_image\.image \}\}, \{\{ build_image\.image_name \}\}, \{\{ build_image\.tag \}\} of the pushed image/],
    ['an unknown step id', edit("        image: '{{ build_image.image }}'\n        cpu", "        image: '{{ build-image.image }}'\n        cpu"), /no build or push step has the id "build-image" \(ids: build_image\)/],
    ['a literal image', edit("        image: '{{ build_image.image }}'\n        cpu", '        image: flows/etl:latest\n        cpu'), /work_pool\.job_variables\.image is "flows\/etl:latest"; a deployment the registrar registers runs the pushed image, pinned by digest: write '\{\{ build_image\.image \}\}' \(or '\{\{ image \}\}'\), or leave image out/],
    ['an image from a variable', edit("        image: '{{ build_image.image }}'\n        cpu", "        image: '{{ prefect.variables.img }}'\n        cpu"), /work_pool\.job_variables\.image is "\{\{ prefect\.variables\.img \}\}"; a deployment the registrar registers runs the pushed image/],
    ['a tag-pinned image', edit("        image: '{{ build_image.image }}'\n        cpu", "        image: '{{ build_image.image_name }}:{{ build_image.tag }}'\n        cpu"), /work_pool\.job_variables\.image is "\{\{ build_image\.image_name \}\}:\{\{ build_image\.tag \}\}"/],
    ['text around the image', edit("        image: '{{ build_image.image }}'\n        cpu", "        image: '{{ image }}-debug'\n        cpu"), /work_pool\.job_variables\.image is "\{\{ image \}\}-debug"/],
    ['an image the worker would resolve', edit("        image: '{{ build_image.image }}'\n        cpu", "        image: '{{ ctx.flow.name }}'\n        cpu"), /work_pool\.job_variables\.image is "\{\{ ctx\.flow\.name \}\}"/],
    ['a tag pattern no tag can match', edit('tags: ["release-*"]', 'tags: ["release-[0-9]*"]'), /ecr_triggers\[1\]\.tags\[0\] "release-\[0-9\]\*" can match no image tag: a pattern is up to 128 of A-Z a-z 0-9 _ \. - \(what a tag may hold\), with \* for any run and \? for one character/],
    ['an integer JSON cannot keep exact', edit('    parameters:\n      full_refresh: false', '    parameters:\n      id: 123456789012345678'), /deployments\[0\]\.parameters\.id: 123456789012345678 is beyond the integers JSON keeps exact \(2\^53\).*: quote it/],
    ['a tag PyYAML\'s safe_load refuses', edit('    parameters:\n      full_refresh: false', '    parameters:\n      region: !Ref AWS::Region'), /Unresolved tag: !Ref at line \d+, column \d+: PyYAML's safe_load refuses this \(Prefect would not read the file\)/],
    ['a host\'s localtime as a zone', edit('timezone: Europe/Berlin', 'timezone: localtime'), /timezone "localtime" is not an IANA time zone name/],
    ['a placeholder in a field the registrar needs literal', edit('    entrypoint: flows/etl.py:run_etl\n    description', "    entrypoint: '{{ prefect.variables.ep }}'\n    description"), /entrypoint has \{\{ prefect\.variables\.ep \}\}; entrypoint must be literal/],
    ['a work pool the workers do not poll', edit('      name: ecs-pool\n      work_queue_name', '      name: other-pool\n      work_queue_name'), /work_pool\.name is "other-pool", but the stack's workers poll "ecs-pool"/],
    ['tags as text', edit('    tags: [etl, nightly]', '    tags: etl'), /tags must be a list \(Prefect would split the text "etl" into single characters\)/],
    ['a deployment in two repositories', edit('    deployments: [report]', '    deployments: [report, etl-daily]'), /deployment "etl-daily": triggers of flows\/etl and flows\/reports name it/],
    ['a trigger naming an unknown deployment', edit('deployments: [report]', 'deployments: [reports]'), /ecr_triggers\[1\]\.deployments names "reports", which is not in deployments:/],
    ['a duplicate deployment name', edit('  - name: report', '  - name: etl-daily'), /deployment "etl-daily": name is used twice/],
    ['no triggers', text.slice(0, text.indexOf('ecr_triggers:')), /ecr_triggers: at least one trigger is needed/],
    ['an unquoted date where Prefect wants text', edit('    description: Nightly load into the warehouse', '    version: 2024-01-01'), /deployments\[0\]\.version: PyYAML reads this unquoted value as a date, where Prefect wants text: quote it/],
    ['invalid YAML', 'deployments: [', /is not valid YAML/],
  ])('rejects %s, naming the file, the deployment and the field', (_name, bad, message) => {
    expect(() => read(bad)).toThrow(ManifestError);
    expect(() => read(bad)).toThrow(new RegExp(`^${FIXTURE.replace(/[./]/g, '\\$&')}: `));
    expect(() => read(bad)).toThrow(message);
  });

  it.each<[string, string]>([
    ['six-field croniter crons (seconds last)', '"0 2 * * * 30"'],
    ['cron aliases', '"@daily"'],
    ['month and weekday names', '"0 2 * jan-mar mon-fri"'],
    ['nth weekday', '"0 2 * * mon#2"'],
  ])('accepts %s as croniter does', (_name, cron) => {
    expect(() => read(edit('"0 2 * * *"', cron))).not.toThrow();
  });

  it('accepts intervals in the forms pydantic reads, and the legacy single schedule', () => {
    for (const interval of ['PT1H', "'1:30:00'", '3600.5', 'P1DT2H']) expect(() => read(edit('      - interval: 604800', `      - interval: ${interval}`))).not.toThrow();
    const legacy = read(edit('    schedules:\n      - interval: 604800', '    schedule:\n      interval: 604800')).manifest;
    expect(legacy.deployments[2]!.entry.schedules).toEqual([{ interval: 604800 }]);
  });

  it('reads YAML 1.1 as PyYAML does: yes is true, y is text, 1:30:00 is 5400, merge keys', () => {
    const yaml = edit('    parameters:\n      full_refresh: false', '    parameters:\n      a: yes\n      b: y\n      c: 1:30:00\n      d: 1e3\n      e: 2024-01-01\n      <<: {f: 1}');
    expect(read(yaml).manifest.deployments[0]!.entry.parameters).toEqual({ a: true, b: 'y', c: 5400, d: '1e3', e: '2024-01-01', f: 1 });
  });

  it('notes what it does not register and what has no pull steps', () => {
    const notes = read(edit('  - name: etl-backfill', '  - name: etl-backfill\n    triggers: [{enabled: true}]').replace(/\npull:\n.*\n.*\n/, '\n')).manifest.notices;
    expect(notes).toEqual(expect.arrayContaining([
      'deployment "etl-backfill": triggers and sla are not registered by the registrar (prefect deploy creates them as automations)',
      'deployment "etl-backfill": no pull steps; the flow runs from the image\'s working directory',
    ]));
  });

  it.each<[string, string, boolean]>([
    ['v*', 'v1.2.0', true],
    ['v*', 'main', false],
    ['release-?', 'release-7', true],
    ['release-?', 'release-10', false],
    ['1.*', '1x2', false],
    ['*', '', true],
    ['', '', true],
    ['a*b*c', 'abbbc', true],
    ['a*b*c', 'abbb', false],
    ['*-*-*-*-*-*-*-*x', '-'.repeat(300), false],
  ])('tag pattern %s against %s -> %s', (pattern, tag, expected) => {
    expect(tagMatches(pattern, tag)).toBe(expected);
  });

  it('matches tags as the glob it is (a regular expression built from the pattern, on short random strings)', () => {
    const glob = (pattern: string) => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
    fc.assert(fc.property(fc.stringMatching(/^[ab.*?-]{0,8}$/), fc.stringMatching(/^[ab.-]{0,10}$/), (pattern, tag) => tagMatches(pattern, tag) === glob(pattern).test(tag)), { numRuns: 2000 });
  });

  it('accepts the images that are the pushed one: the build step\'s {{ <id>.image }}, {{ image }}, or none', () => {
    for (const image of ["'{{ build_image.image }}'", "'{{image}}'"]) expect(() => read(edit("        image: '{{ build_image.image }}'\n        cpu", `        image: ${image}\n        cpu`))).not.toThrow();
    expect(() => read(edit("        image: '{{ build_image.image }}'\n        cpu", '        cpu'))).not.toThrow();
  });

  it('accepts what PyYAML reads: an entrypoint function with non-ASCII letters, a quoted big integer, more than 100 aliases', () => {
    expect(read(edit('entrypoint: flows/etl.py:run_etl\n    description', 'entrypoint: flows/etl.py:läuft\n    description')).manifest.deployments[0]!.flowName).toBe('läuft');
    expect(read(edit('    parameters:\n      full_refresh: false', "    parameters:\n      id: '123456789012345678'")).manifest.deployments[0]!.entry.parameters).toEqual({ id: '123456789012345678' });
    const aliases = edit('    parameters:\n      full_refresh: false', `    parameters:\n      base: &b {x: 1}\n${Array.from({ length: 150 }, (_, i) => `      p${i}: *b`).join('\n')}`);
    expect(Object.keys(read(aliases).manifest.deployments[0]!.entry.parameters as object)).toHaveLength(151);
  });

  it('stores only what the Lambda reads, which reads into the same deployments', () => {
    const yaml = `definitions:\n  pool: &pool {name: ecs-pool}\n${edit('  - name: etl-backfill', '  - name: etl-backfill\n    triggers: [{enabled: true}]')}`;
    const { manifest: fromFile, document: stored } = read(yaml);
    expect(Object.keys(stored)).toEqual(['pull', 'deployments', 'ecr_triggers', 'build']);
    expect(stored.build).toEqual([{ 'prefect_docker.deployments.steps.build_docker_image': { id: 'build_image' } }]);
    expect(stored.push).toBeUndefined();
    expect((stored.deployments as Record<string, unknown>[])[1]).not.toHaveProperty('triggers');
    expect(manifestFromParameter(JSON.stringify(stored), 'ssm:/m', {}).deployments).toEqual(fromFile.deployments);
  });

  it('notes a flow_name, which prefect deploy would take from the code instead', () => {
    expect(manifest.notices).toContain('deployment "report": flow_name "weekly-report" is used as written, where prefect deploy takes the name from the code\'s @flow(name=...) (3.6.28:src/prefect/cli/deploy/_core.py:L107): keep the two the same');
  });
});
