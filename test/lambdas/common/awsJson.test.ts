import { awsJsonCall, ECR } from '../../../lambdas/common/aws/awsJson';
import { JsonSecretReader, parameterReader } from '../../../lambdas/common/aws/jsonReaders';
import type { FetchLike } from '../../../lambdas/common/http';

function recorder(answer: (request: Request, body: string) => Response) {
  const seen: { request: Request; body: string }[] = [];
  const fetch: FetchLike = async (request) => {
    const body = await request.clone().text();
    seen.push({ request, body });
    return answer(request, body);
  };
  const options = {
    region: 'eu-west-1',
    credentials: async () => ({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret', sessionToken: 'token' }),
    http: { attempts: 2, sleep: async () => undefined },
    fetch,
  };
  return { seen, options };
}

describe('AWS JSON 1.1 calls without an SDK client', () => {
  it('sends the operation as X-Amz-Target, the input as JSON, signed with SigV4 for the service and region', async () => {
    const { seen, options } = recorder(() => Response.json({ imageDetails: [] }));
    expect(await awsJsonCall(ECR, 'DescribeImages', { repositoryName: 'flows/etl' }, options)).toEqual({ imageDetails: [] });
    const { request, body } = seen[0]!;
    expect(request.url).toBe('https://api.ecr.eu-west-1.amazonaws.com/');
    expect(request.method).toBe('POST');
    expect(body).toBe('{"repositoryName":"flows/etl"}');
    expect(request.headers.get('x-amz-target')).toBe('AmazonEC2ContainerRegistry_V20150921.DescribeImages');
    expect(request.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    expect(request.headers.get('x-amz-security-token')).toBe('token');
    expect(request.headers.get('authorization')).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/ecr\/aws4_request, SignedHeaders=[^,]*x-amz-target[^,]*, Signature=[0-9a-f]{64}$/);
  });

  it('names the error after AWS\'s code, as an SDK error is named', async () => {
    const { options } = recorder(() => Response.json({ __type: 'com.amazonaws.ssm#ParameterNotFound', message: 'no such parameter' }, { status: 400 }));
    await expect(parameterReader(options).get('/m')).rejects.toMatchObject({ name: 'ParameterNotFound', message: 'ssm GetParameter: ParameterNotFound: no such parameter' });
  });

  it('retries a 5xx, then answers; SSM and Secrets Manager reads', async () => {
    let calls = 0;
    const { seen, options } = recorder((request) =>
      ++calls === 1 ? new Response('busy', { status: 503 }) : request.headers.get('x-amz-target') === 'AmazonSSM.GetParameter' ? Response.json({ Parameter: { Value: 'v' } }) : Response.json({ SecretString: ' key \n' }),
    );
    expect(await parameterReader(options).get('/m')).toBe('v');
    expect(calls).toBe(2);
    const secrets = new JsonSecretReader(options);
    expect(await secrets.get('arn:aws:secretsmanager:us-west-2:123456789012:secret:prefect-abc')).toBe('key');
    await secrets.get('arn:aws:secretsmanager:us-west-2:123456789012:secret:prefect-abc');
    // The secret's own region, and one call while the value is kept.
    expect(seen.filter((s) => s.request.url === 'https://secretsmanager.us-west-2.amazonaws.com/').map((s) => s.body)).toEqual(['{"SecretId":"arn:aws:secretsmanager:us-west-2:123456789012:secret:prefect-abc"}']);
  });
});
