/** One-click publishing against moto_server S3: objects, code locations, URLs. */
import { GetObjectCommand, HeadObjectCommand, ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleLambdas } from '../../scripts/lib/bundle';
import { MAX_CONSOLE_URL_LENGTH, parseQuickCreateUrl } from '../../scripts/lib/publishing/launchUrl';
import { publish, type PublishedRegion } from '../../scripts/lib/publishing/publish';
import { zipFolder } from '../../scripts/lib/publishing/zip';
import { PUBLISHED_STACKS } from '../../templates/stacks';
import { TEST_CREDENTIALS, startMotoServer, type MotoServer } from '../support/motoServer';
import { scratchProject, type ScratchProject } from '../../scripts/lib/scratchProject';

let moto: MotoServer;
let bundles: Map<string, Uint8Array>;
const s3For = (region: string) => new S3Client({ endpoint: moto.endpoint, region, credentials: TEST_CREDENTIALS, forcePathStyle: true });

beforeAll(async () => {
  moto = await startMotoServer();
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'pes-pub-'));
  bundles = new Map((await bundleLambdas(undefined, out)).map((b) => [`lambdas/${b.name}`, zipFolder(path.dirname(b.file))] as const));
});

afterAll(async () => {
  await moto?.stop();
});

async function text(s3: S3Client, bucket: string, key: string): Promise<string> {
  return (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToString();
}

describe('publish', () => {
  let published: PublishedRegion[];

  beforeAll(async () => {
    published = await publish({
      bucketPrefix: 'pes-test',
      regions: ['us-east-1', 'eu-west-1'],
      version: '1.2.3',
      templates: PUBLISHED_STACKS.map((s) => ({ name: s.name, template: s.build() })),
      bundles,
      s3For,
    });
  });

  it('uploads code and templates to the bucket of each region', async () => {
    expect(published.map((p) => p.bucket)).toEqual(['pes-test-us-east-1', 'pes-test-eu-west-1']);
    for (const region of published) {
      const s3 = s3For(region.region);
      for (const key of Object.values(region.codeKeys)) await s3.send(new HeadObjectCommand({ Bucket: region.bucket, Key: key }));
      for (const t of region.templates) {
        expect(await text(s3, region.bucket, t.versionedKey)).toBe(await text(s3, region.bucket, t.latestKey));
        expect(t.versionedUrl).toBe(`https://${region.bucket}.s3.${region.region}.amazonaws.com/templates/1.2.3/${t.name}.template.json`);
      }
    }
  });

  it('uses content-addressed keys: the same bundle gets the same key', () => {
    const [east, west] = published;
    expect(east!.codeKeys).toEqual(west!.codeKeys);
    for (const key of Object.values(east!.codeKeys)) expect(key).toMatch(/^lambdas\/[a-z-]+\/[0-9a-f]{64}\.zip$/);
  });

  it('points every function of each regional template at code in that region\'s bucket', async () => {
    for (const region of published) {
      const s3 = s3For(region.region);
      const template = JSON.parse(await text(s3, region.bucket, region.templates[0]!.versionedKey));
      const codeUris = Object.values(template.Resources as Record<string, { Type: string; Properties: { CodeUri?: string } }>)
        .filter((r) => r.Type === 'AWS::Serverless::Function')
        .map((r) => r.Properties.CodeUri!);
      expect(codeUris.length).toBeGreaterThan(0);
      for (const uri of codeUris) {
        const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri)!;
        expect(match[1]).toBe(region.bucket);
        const object = await s3.send(new GetObjectCommand({ Bucket: match[1], Key: match[2] }));
        expect(Buffer.from(await object.Body!.transformToByteArray()).subarray(0, 2).toString()).toBe('PK');
      }
    }
  });

  it('rejects bad input before uploading anything', async () => {
    const attempt = (input: Partial<Parameters<typeof publish>[0]>) =>
      publish({ bucketPrefix: 'pes-test', regions: ['us-east-1'], version: '1', templates: [], bundles, s3For, ...input });
    await expect(attempt({ bucketPrefix: 'Bad_Prefix' })).rejects.toThrow(/--bucket-prefix must be/);
    await expect(attempt({ regions: ['mars-1'] })).rejects.toThrow(/--regions has "mars-1", which is not an AWS region/);
    await expect(attempt({ version: 'latest' })).rejects.toThrow(/other than "latest"/);
  });
});

describe('npm run publish (the command)', () => {
  let project: ScratchProject;
  const env = () => ({ ...process.env, AWS_ENDPOINT_URL: moto.endpoint, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing' });
  const publishCommand = (args: string[]) => project.tsx('scripts/publish.ts', args, env());
  const ARGS = ['--bucket-prefix', 'pes-cli', '--regions', 'us-east-1,eu-central-1', '--version', '2.0.0', '--param', 'WorkPoolName=etl', '--param', 'AssignPublicIp=ENABLED'];
  const buckets = async () => ((await s3For('us-east-1').send(new ListBucketsCommand({}))).Buckets ?? []).map((b) => b.Name!);
  const scratchFolders = () => fs.readdirSync(os.tmpdir()).filter((name) => name.startsWith('pes-publish-'));

  beforeAll(() => {
    project = scratchProject();
  });
  afterAll(() => project?.remove());

  it('publishes and prints a quick-create URL per region that decodes back and fits the console', async () => {
    const { code, stdout, stderr } = await publishCommand(ARGS);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const urls = stdout.split('\n').filter((l) => l.includes('quick-create: ')).map((l) => l.split('quick-create: ')[1]!).filter((u) => u.includes('worker.template'));
    expect(urls).toHaveLength(2);
    for (const [i, region] of ['us-east-1', 'eu-central-1'].entries()) {
      expect(urls[i]!.length).toBeLessThan(MAX_CONSOLE_URL_LENGTH);
      expect(parseQuickCreateUrl(urls[i]!)).toEqual({
        region,
        templateUrl: `https://pes-cli-${region}.s3.${region}.amazonaws.com/templates/2.0.0/worker.template.json`,
        stackName: 'prefect-workers',
        parameters: { AssignPublicIp: 'ENABLED', WorkPoolName: 'etl' },
      });
    }
    expect(stdout).toContain('[![Launch worker stack in eu-central-1]');
    await s3For('eu-central-1').send(new HeadObjectCommand({ Bucket: 'pes-cli-eu-central-1', Key: 'templates/latest/worker.template.json' }));
    expect(scratchFolders()).toEqual([]);
  });

  it('refuses to republish a version without --force, and overwrites it with --force', async () => {
    const again = await publishCommand(ARGS);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(
      'publish: version 2.0.0 is already published (https://pes-cli-us-east-1.s3.us-east-1.amazonaws.com/templates/2.0.0/worker.template.json and 3 more): pick another --version, or add --force to overwrite it\n',
    );
    expect(again.stdout).toBe('');
    const forced = await publishCommand([...ARGS, '--force']);
    expect(forced.code).toBe(0);
  });

  it.each<[string, string[], RegExp]>([
    ['a NoEcho parameter', ['--param', 'PrefectAuthValue=secret'], /--param PrefectAuthValue is NoEcho/],
    ['a value of the wrong type', ['--param', 'SubmissionsPerWorker=lots'], /--param SubmissionsPerWorker must be a number/],
    ['a combination the template\'s Rules reject', ['--param', 'MinWorkers=9', '--param', 'MaxWorkers=2'], /rule MinWorkersAtMostMaxWorkers fails/],
    ['an unknown region after a good one', ['--regions', 'us-east-1,us-east-9'], /--regions has "us-east-9", which is not an AWS region/],
    ['a bad stack name', ['--stack-name', 'my_stack'], /--stack-name must start with a letter/],
    ['a bad synth option', ['--max-workers', '0'], /--max-workers must be a whole number from 1 to 100/],
  ])('checks %s before it creates a bucket or uploads anything', async (_name, extra, message) => {
    const result = await publishCommand(['--bucket-prefix', 'pes-check', ...(extra.includes('--regions') ? [] : ['--regions', 'us-east-1']), ...extra]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
    expect((await buckets()).filter((b) => b.startsWith('pes-check'))).toEqual([]);
  });
});
