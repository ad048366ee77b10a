import { PINNED_IMAGE_PATTERN, PREFECT_API_URL_PATTERN, SECRET_ARN_PATTERN } from '../../templates/parameters/patterns';

// CloudFormation evaluates AllowedPattern with Java regular expressions; these patterns use only
// syntax that Java and JavaScript read the same way, so JavaScript can test them.
describe('deploy-time parameter patterns', () => {
  it.each([
    ['https://api.prefect.cloud/api/accounts/0ff44498-d380-4d7b-bd68-9b52da03823f/workspaces/c1a2b3c4-d5e6-47f8-9a0b-1c2d3e4f5a6b', true],
    ['http://prefect.internal:4200/api', true],
    ['https://prefect.example.com/prefect/api', true],
    ['https://api.prefect.cloud/', false],
    ['ftp://x/api', false],
    ['https://host/api; rm -rf /', false],
  ])('Prefect API URL %s -> %s', (url, ok) => {
    expect(new RegExp(PREFECT_API_URL_PATTERN).test(url)).toBe(ok);
  });

  it.each([
    ['prefecthq/prefect-aws:0.7.7-python3.12-prefect3.6.28', true],
    ['123456789012.dkr.ecr.us-east-1.amazonaws.com/worker:v1', true],
    [`worker@sha256:${'0'.repeat(64)}`, true],
    ['prefecthq/prefect-aws:latest', false],
    ['prefecthq/prefect-aws', false],
  ])('worker image %s -> %s', (image, ok) => {
    expect(new RegExp(PINNED_IMAGE_PATTERN).test(image)).toBe(ok);
  });

  it.each([
    ['', true],
    ['arn:aws:secretsmanager:us-east-1:123456789012:secret:prefect-AbCdEf', true],
    ['arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:x', true],
    ['arn:aws:ssm:us-east-1:123456789012:parameter/x', false],
  ])('secret ARN %s -> %s', (value, ok) => {
    expect(new RegExp(SECRET_ARN_PATTERN).test(value)).toBe(ok);
  });
});
