import { isThrottlingError, isTransientError } from '@smithy/core/retry';
import { awsJsonCall, ECR, retryableAwsAnswer, SSM } from '../../../lambdas/common/aws/awsJson';
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

  it('reads a parameter decrypted (a SecureString under aws/ssm needs no IAM change)', async () => {
    const { seen, options } = recorder(() => Response.json({ Parameter: { Value: '{}', Type: 'SecureString' } }));
    expect(await parameterReader(options).get('/m')).toBe('{}');
    expect(JSON.parse(seen[0]!.body)).toEqual({ Name: '/m', WithDecryption: true });
  });

  it('uses the partition\'s URL suffix the stack passes (AWS::URLSuffix)', async () => {
    const { seen, options } = recorder(() => Response.json({}));
    await awsJsonCall(SSM, 'GetParameter', { Name: '/m' }, { ...options, region: 'us-iso-east-1', urlSuffix: 'c2s.ic.gov' });
    await awsJsonCall(SSM, 'GetParameter', { Name: '/m' }, { ...options, region: 'cn-north-1' });
    expect(seen.map((s) => s.request.url)).toEqual(['https://ssm.us-iso-east-1.c2s.ic.gov/', 'https://ssm.cn-north-1.amazonaws.com.cn/']);
  });

  it('retries a throttled call (HTTP 400 ThrottlingException), then answers', async () => {
    let calls = 0;
    const { options } = recorder(() => (++calls === 1 ? Response.json({ __type: 'ThrottlingException', message: 'Rate exceeded' }, { status: 400 }) : Response.json({ Parameter: { Value: 'v' } })));
    expect(await parameterReader(options).get('/m')).toBe('v');
    expect(calls).toBe(2);
  });

  it('reads the code from x-amzn-errortype when the body has none, and gives up on throttling after the attempts', async () => {
    let calls = 0;
    const { options } = recorder(() => {
      calls++;
      return new Response('', { status: 400, headers: { 'x-amzn-errortype': 'ThrottlingException:http://internal.amazon.com/coral/com.amazon.coral.availability/' } });
    });
    await expect(awsJsonCall(ECR, 'DescribeImages', {}, options)).rejects.toMatchObject({ name: 'ThrottlingException' });
    expect(calls).toBe(2);
  });

  it('treats a 2xx body that is not a JSON object as an error worth retrying, never as an empty answer', async () => {
    let calls = 0;
    const { options } = recorder(() => (++calls, new Response('<html>gateway</html>', { status: 200, headers: { 'content-type': 'text/html' } })));
    await expect(awsJsonCall(ECR, 'DescribeImages', { repositoryName: 'r' }, options)).rejects.toMatchObject({ name: 'InvalidResponse' });
    expect(calls).toBe(2);
    let second = 0;
    const recovered = recorder(() => (++second === 1 ? new Response('{"imageDet', { status: 200 }) : Response.json({ imageDetails: [] })));
    expect(await awsJsonCall(ECR, 'DescribeImages', {}, recovered.options)).toEqual({ imageDetails: [] });
  });

  it('does not retry an error asking again cannot fix', async () => {
    let calls = 0;
    const { options } = recorder(() => (++calls, Response.json({ __type: 'AccessDeniedException', message: 'no' }, { status: 400 })));
    await expect(awsJsonCall(ECR, 'DescribeImages', {}, options)).rejects.toMatchObject({ name: 'AccessDeniedException' });
    expect(calls).toBe(1);
  });

  it('retries the codes the SDK\'s standard retry strategy retries, and no others (its own isThrottlingError/isTransientError)', async () => {
    const codes = ['ThrottlingException', 'ThrottledException', 'RequestLimitExceeded', 'TooManyRequestsException', 'Throttling', 'SlowDown', 'LimitExceededException', 'RequestTimeout', 'RequestTimeoutException',
      'PriorRequestNotComplete', 'ProvisionedThroughputExceededException', 'BandwidthLimitExceeded', 'TransactionInProgressException', 'EC2ThrottledException', 'RequestThrottled', 'RequestThrottledException', 'TimeoutError',
      'AccessDeniedException', 'ParameterNotFound', 'ValidationException', 'RepositoryNotFoundException', 'ImageNotFoundException', 'InvalidParameterException', 'ResourceNotFoundException', 'UnrecognizedClientException'];
    const ours = await Promise.all(codes.map((code) => retryableAwsAnswer(Response.json({ __type: code }, { status: 400 }))));
    const sdk = codes.map((code) => isThrottlingError({ name: code, $metadata: { httpStatusCode: 400 } } as never) || isTransientError({ name: code, $metadata: { httpStatusCode: 400 } } as never));
    expect(codes.filter((_c, i) => ours[i] !== sdk[i])).toEqual([]);
    expect(sdk.filter(Boolean).length).toBe(17);
  });
});
