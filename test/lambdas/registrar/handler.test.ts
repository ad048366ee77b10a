import fs from 'node:fs';
import { createLogger } from '../../../lambdas/common/log';
import { createPrefectClient } from '../../../lambdas/common/prefect/client';
import { createRegistrarHandler, type RegistrarDeps } from '../../../lambdas/registrar/handler';
import { readManifest } from '../../../lambdas/registrar/manifest/fromYaml';
import { CachedManifest } from '../../../lambdas/registrar/manifestSource';
import type { DescribeImagesInput, EcrApi, ImageDetail } from '../../../lambdas/registrar/registration/images';
import { AwsApiError } from '../../../lambdas/common/errors';
import type { RegistrationIncompleteError } from '../../../lambdas/registrar/errors';
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

function harness(prefect: (request: Request) => Response | Promise<Response> = () => Response.json({}, { status: 500 }), overrides: Partial<RegistrarDeps> = {}) {
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
  const invalidations: string[] = [];
  const metrics: Record<string, number>[] = [];
  let now = 0;
  const handler = createRegistrarHandler({
    prefect: createPrefectClient({ apiUrl: 'https://prefect.test/api', authMode: 'none' }, {
      secrets: { get: async () => '', invalidate: () => undefined },
      http: { attempts: 1, sleep: async () => undefined, timeoutMs: 50 },
      fetch: async (request) => {
        calls.push(`${request.method} ${new URL(request.url).pathname}`);
        return prefect(request);
      },
    }),
    ecr,
    manifest: new CachedManifest(ssm, '/prefect/manifest', { workPool: 'ecs-pool' }, 60_000, () => now),
    log: createLogger('registrar', () => undefined),
    workPool: 'ecs-pool',
    credential: { invalidate: () => invalidations.push('prefect credential') },
    metrics: (values) => metrics.push({ ...values }),
    ...overrides,
  });
  return { handler, ecr, ssm, calls, invalidations, metrics, advance: (ms: number) => (now += ms) };
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

  it('names the parameter and kms:Decrypt when the role may not read it', async () => {
    const h = harness();
    h.ssm.get = async () => {
      throw new AwsApiError('ssm', 'GetParameter', 'AccessDeniedException', 'not authorized to perform: kms:Decrypt');
    };
    await expect(h.handler(imageActionEvent('flows/etl', 'v1.0.0', DIGEST))).rejects.toThrow(
      'MANIFEST_PARAMETER names /prefect/manifest, which the registrar may not read (a SecureString under a customer managed KMS key needs kms:Decrypt for its role): ssm GetParameter: AccessDeniedException: not authorized to perform: kms:Decrypt',
    );
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

  it('stops calling Prefect once it fails as a whole (a 500): the rest are retrying without a call, and the event is retried', async () => {
    const h = harness();
    h.ecr.answer = async () => ({ imageDetails: [{ imageDigest: DIGEST }] });
    await expect(h.handler(imageActionEvent('flows/etl', 'v1.0.0', DIGEST))).rejects.toThrow(
      /^registration incomplete, retrying: run-etl\/etl-daily retrying \(500 from Prefect on \/deployments\/name\/run-etl\/etl-daily[^)]*\); run-etl\/etl-backfill retrying \(not tried: 500 from Prefect/,
    );
    expect(h.calls).toEqual(['GET /api/deployments/name/run-etl/etl-daily']);
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

  it('counts a bad manifest for the alarm, and logs it without retrying', async () => {
    const h = harness();
    h.ssm.get = async () => JSON.stringify({ deployments: [{ name: 'x' }] });
    expect(await h.handler(imageActionEvent('flows/etl', 'v1.0.0', DIGEST))).toEqual({ ignored: expect.stringMatching(/^bad manifest: ssm:\/prefect\/manifest: /) });
    expect(h.metrics).toEqual([{ ManifestInvalid: 1 }]);
  });

  it('fails the deployments of a repository ECR refuses to describe (AccessDenied), and applies the others', async () => {
    const h = harness((request) => {
      const path = new URL(request.url).pathname;
      if (request.method === 'GET') return Response.json({ detail: 'Deployment not found' }, { status: 404 });
      return Response.json(path === '/api/flows/' ? { id: '9f2c2a5e-0b7a-4f57-9a39-2b1f0d6e7c11', name: 'f' } : { id: 'd' }, { status: 201 });
    });
    h.ecr.answer = async (input) => {
      if (input.repositoryName === 'flows/etl') throw new AwsApiError('ecr', 'DescribeImages', 'AccessDeniedException', 'not authorized to perform ecr:DescribeImages');
      return { imageDetails: [{ imageDigest: DIGEST, imageTags: ['release-3'], imagePushedAt: 1_700_000_000 }] };
    };
    const result = await h.handler({ source: 'aws.events', 'detail-type': 'Scheduled Event', account: '123456789012', region: 'us-east-1', detail: {} });
    expect((result as { deployments: { deployment: string; outcome: string }[] }).deployments.map((d) => `${d.deployment} ${d.outcome}`)).toEqual(['run-etl/etl-daily failed', 'run-etl/etl-backfill failed', 'weekly-report/report created']);
    expect(h.ecr.inputs.filter((i) => i.repositoryName === 'flows/etl')).toHaveLength(1);
    expect(h.metrics).toEqual([{ DeploymentsWritten: 1, DeploymentsFailed: 2, DeploymentsRetrying: 0, ManifestInvalid: 0 }]);
  });

  it('reads every page of DescribeImages to find the newest matching image', async () => {
    const h = harness((request) => (request.method === 'GET' ? Response.json({ detail: 'Deployment not found' }, { status: 404 }) : Response.json({ id: '9f2c2a5e-0b7a-4f57-9a39-2b1f0d6e7c11', name: 'f' }, { status: 201 })));
    const newest = `sha256:${'9'.repeat(64)}`;
    h.ecr.answer = async (input) => {
      if (input.repositoryName !== 'flows/reports') return { imageDetails: [] };
      if (!input.nextToken) return { imageDetails: [{ imageDigest: DIGEST, imageTags: ['release-1'], imagePushedAt: 1_700_000_000 }], nextToken: 'page-2' } as never;
      return { imageDetails: [{ imageDigest: newest, imageTags: ['release-2', 'other'], imagePushedAt: 1_700_000_100 }] };
    };
    const result = await h.handler({ source: 'aws.events', 'detail-type': 'Scheduled Event', account: '123456789012', region: 'us-east-1', detail: {} });
    expect(h.ecr.inputs.filter((i) => i.repositoryName === 'flows/reports').map((i) => i.nextToken)).toEqual([undefined, 'page-2']);
    expect((result as { deployments: { image: string }[] }).deployments[2]!.image).toBe(`123456789012.dkr.ecr.us-east-1.amazonaws.com/flows/reports@${newest}`);
  });

  describe('what each Prefect answer means for a deployment (and for the ones after it)', () => {
    const FLOW = { id: '9f2c2a5e-0b7a-4f57-9a39-2b1f0d6e7c11', name: 'run-etl' };
    const hang = () => new Promise<Response>(() => undefined);
    /** Prefect answering `read` to the first GET of a deployment, and `write` to the first POST /deployments/. */
    const answers = (read: () => Response | Promise<Response>, write: () => Response | Promise<Response>) => {
      let reads = 0;
      let writes = 0;
      return (request: Request) => {
        const path = new URL(request.url).pathname;
        if (request.method === 'GET') return ++reads === 1 ? read() : Response.json({ detail: 'Deployment not found' }, { status: 404 });
        if (path === '/api/flows/') return Response.json(FLOW);
        return ++writes === 1 ? write() : Response.json({ id: 'd' }, { status: 201 });
      };
    };
    const notFound = () => Response.json({ detail: 'Deployment not found' }, { status: 404 });
    const status = (code: number, body: unknown = { detail: 'x' }) => () => Response.json(body, { status: code });

    it.each<[string, () => Response | Promise<Response>, () => Response | Promise<Response>, string, boolean, number]>([
      // case, answer to the read, answer to the write, the deployment's outcome, are the others still tried, credential reads dropped
      ['401 (a rotated key)', status(401), notFound, 'retrying', false, 1],
      ['403', status(403), notFound, 'retrying', false, 1],
      ['404 with FastAPI\'s bare "Not Found" to the read (a wrong API URL): not "absent"', status(404, { detail: 'Not Found' }), notFound, 'retrying', false, 0],
      ['404 to the write (no such work pool yet)', notFound, status(404, { detail: 'Work pool "ecs-pool" not found.' }), 'retrying', false, 0],
      ['408 to the write', notFound, status(408), 'retrying', true, 0],
      ['409 to the write (a data integrity conflict: a race)', notFound, status(409, { detail: 'Data integrity conflict' }), 'retrying', true, 0],
      ['400 to the write', notFound, status(400), 'failed', true, 0],
      ['413 to the write', notFound, status(413), 'failed', true, 0],
      ['422 to the write', notFound, status(422, { exception_message: 'Invalid request received.', exception_detail: [] }), 'failed', true, 0],
      ['429 to the write', notFound, status(429), 'retrying', false, 0],
      ['500 to the write', notFound, status(500), 'retrying', false, 0],
      ['no answer (a timeout) to the read', hang, notFound, 'retrying', false, 0],
      ['a 200 that is not JSON to the write', notFound, () => new Response('<html>ok</html>', { status: 200 }), 'retrying', false, 0],
    ])('%s', async (_case, read, write, outcome, othersTried, invalidations) => {
      const h = harness(answers(read, write));
      h.ecr.answer = async () => ({ imageDetails: [{ imageDigest: DIGEST }] });
      const result = await h.handler(imageActionEvent('flows/etl', 'v1.0.0', DIGEST)).catch((error: RegistrationIncompleteError) => ({ deployments: error.outcomes }));
      const [daily, backfill] = (result as { deployments: { outcome: string; reason?: string }[] }).deployments;
      expect(daily!.outcome).toBe(outcome);
      expect(backfill!.reason?.startsWith('not tried: ') ?? false).toBe(!othersTried);
      expect(h.invalidations).toHaveLength(invalidations);
    });
  });
});
