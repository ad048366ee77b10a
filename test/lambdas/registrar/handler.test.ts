import fs from 'node:fs';
import { createLogger } from '../../../lambdas/common/log';
import { createPrefectClient } from '../../../lambdas/common/prefect/client';
import { createRegistrarHandler } from '../../../lambdas/registrar/handler';
import { readManifest } from '../../../lambdas/registrar/manifest/fromYaml';
import { CachedManifest } from '../../../lambdas/registrar/manifestSource';
import type { DescribeImagesInput, EcrApi, ImageDetail } from '../../../lambdas/registrar/registration/images';
import { AwsApiError } from '../../../lambdas/common/errors';
import { imageActionEvent } from '../../support/ecrPush';

/** ECR as the registrar sees it: every DescribeImages input recorded, the answer set per test. */
class FakeEcr implements EcrApi {
  readonly inputs: DescribeImagesInput[] = [];
  answer: (input: DescribeImagesInput) => Promise<{ imageDetails?: ImageDetail[] }> = async () => ({ imageDetails: [] });
  describeImages(input: DescribeImagesInput) {
    this.inputs.push(input);
    return this.answer(input);
  }
}

/** What synth stores in the SSM parameter: the fixture's JSON form. */
const MANIFEST = JSON.stringify(readManifest(fs.readFileSync('test/fixtures/manifests/prefect.yaml', 'utf8'), 'prefect.yaml').document);
const DIGEST = `sha256:${'d'.repeat(64)}`;

function harness(prefect: (request: Request) => Response | Promise<Response> = () => Response.json({}, { status: 500 })) {
  const ecr = new FakeEcr();
  const ssm = {
    reads: 0,
    missing: false,
    async get(name: string) {
      this.reads++;
      if (this.missing) throw new AwsApiError('ssm', 'GetParameter', 'ParameterNotFound', name);
      return MANIFEST;
    },
  };
  const calls: string[] = [];
  let now = 0;
  const handler = createRegistrarHandler({
    prefect: createPrefectClient({ apiUrl: 'https://prefect.test/api', authMode: 'none' }, {
      secrets: { get: async () => '', invalidate: () => undefined },
      http: { attempts: 1, sleep: async () => undefined },
      fetch: async (request) => {
        calls.push(`${request.method} ${new URL(request.url).pathname}`);
        return prefect(request);
      },
    }),
    ecr,
    manifest: new CachedManifest(ssm, '/prefect/manifest', { workPool: 'ecs-pool' }, 60_000, () => now),
    log: createLogger('registrar', () => undefined),
    workPool: 'ecs-pool',
  });
  return { handler, ecr, ssm, calls, advance: (ms: number) => (now += ms) };
}

describe('registrar handler', () => {
  it('asks ECR where the tag points before touching Prefect, with the exact input', async () => {
    const h = harness();
    h.ecr.answer = async () => ({ imageDetails: [{ imageDigest: `sha256:${'e'.repeat(64)}` }] });
    const result = await h.handler(imageActionEvent('flows/etl', 'v1.0.0', DIGEST));
    expect(h.ecr.inputs).toContainEqual({ repositoryName: 'flows/etl', imageIds: [{ imageTag: 'v1.0.0' }] });
    expect((result as { deployments: { outcome: string }[] }).deployments.every((d) => d.outcome === 'skipped')).toBe(true);
    expect(h.calls).toEqual([]);
  });

  it('throws when ECR keeps throttling, so the event is retried', async () => {
    const h = harness();
    h.ecr.answer = async () => {
      throw new AwsApiError('ecr', 'DescribeImages', 'ThrottlingException', 'Rate exceeded');
    };
    await expect(h.handler(imageActionEvent('flows/etl', 'v1.0.0', DIGEST))).rejects.toThrow('Rate exceeded');
  });

  it('throws when the manifest parameter is missing, naming it', async () => {
    const h = harness();
    h.ssm.missing = true;
    await expect(h.handler(imageActionEvent('flows/etl', 'v1.0.0', DIGEST))).rejects.toThrow('MANIFEST_PARAMETER names /prefect/manifest, which does not exist');
  });

  it('reads the manifest once per minute, not per event', async () => {
    const h = harness();
    h.ecr.answer = async () => ({ imageDetails: [] });
    await h.handler(imageActionEvent('flows/etl', 'v1.0.0', DIGEST));
    await h.handler(imageActionEvent('flows/etl', 'v1.0.0', DIGEST));
    expect(h.ssm.reads).toBe(1);
    h.advance(60_000);
    await h.handler(imageActionEvent('flows/etl', 'v1.0.0', DIGEST));
    expect(h.ssm.reads).toBe(2);
  });

  it('throws on a Prefect 500 after trying every deployment, naming each outcome, so the event is retried', async () => {
    const h = harness();
    h.ecr.answer = async () => ({ imageDetails: [{ imageDigest: DIGEST }] });
    await expect(h.handler(imageActionEvent('flows/etl', 'v1.0.0', DIGEST))).rejects.toThrow(
      /^registration incomplete, retrying: run-etl\/etl-daily retrying \(500 from Prefect on \/deployments\/name\/run-etl\/etl-daily.*; run-etl\/etl-backfill retrying/,
    );
    expect(h.calls).toEqual(['GET /api/deployments/name/run-etl/etl-daily', 'GET /api/deployments/name/run-etl/etl-backfill']);
  });

  it('reads the manifest again at once when the parameter changes, and ignores other parameters', async () => {
    const h = harness();
    h.ecr.answer = async () => ({ imageDetails: [] });
    await h.handler(imageActionEvent('flows/etl', 'v1.0.0', DIGEST));
    const change = (name: string, operation = 'Update') => ({ source: 'aws.ssm', 'detail-type': 'Parameter Store Change', account: '123456789012', region: 'us-east-1', detail: { name, operation, type: 'String' } });
    expect(await h.handler(change('/other'))).toEqual({ ignored: 'not the manifest parameter' });
    expect(await h.handler(change('/prefect/manifest', 'Delete'))).toEqual({ ignored: 'Delete leaves the deployments as they are' });
    expect(h.ssm.reads).toBe(1);
    const result = await h.handler(change('/prefect/manifest'));
    expect(h.ssm.reads).toBe(2);
    expect(h.ecr.inputs).toContainEqual({ repositoryName: 'flows/etl', filter: { tagStatus: 'TAGGED' }, maxResults: 1000 });
    expect((result as { deployments: { outcome: string; reason: string }[] }).deployments[0]).toEqual(expect.objectContaining({ outcome: 'skipped', reason: 'no image of flows/etl has a tag matching v*, main yet' }));
  });
});
