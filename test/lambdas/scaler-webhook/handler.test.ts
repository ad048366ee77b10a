import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { CachedSecretReader } from '../../../lambdas/common/aws/secrets';
import { createLogger } from '../../../lambdas/common/log';
import { createWebhookHandler, tokenOf } from '../../../lambdas/scaler-webhook/handler';
import webhook from '../../fixtures/events/scaler/webhook.json';

const TOKEN = 'correct-horse-battery-staple';
const SECRET = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:webhook-token-AbCdEf';
const QUEUE = 'https://sqs.us-east-1.amazonaws.com/123456789012/stack-ScalerTriggerQueue.fifo';

function harness(now = new Date('2026-11-21T12:00:03Z'), clock: () => Date = () => now) {
  const sqs = mockClient(SQSClient);
  const sm = mockClient(SecretsManagerClient);
  sqs.on(SendMessageCommand).resolves({ MessageId: 'm' });
  sm.on(GetSecretValueCommand, { SecretId: SECRET }).resolves({ SecretString: TOKEN });
  const logs: Record<string, any>[] = []; // eslint-disable-line @typescript-eslint/no-explicit-any
  const secrets = new CachedSecretReader(new SecretsManagerClient({ region: 'us-east-1' }));
  const handler = createWebhookHandler(
    { queueUrl: QUEUE, tokenSecretArn: SECRET },
    { sqs: new SQSClient({ region: 'us-east-1' }), secrets, log: createLogger('scaler-webhook', (l) => logs.push(JSON.parse(l))), now: clock },
  );
  return { handler, sqs, sm, logs, secrets };
}

describe('scaler webhook', () => {
  it('queues one evaluation for the right token and answers 202 at once', async () => {
    const h = harness();
    const response = await h.handler(webhook);
    expect(response.statusCode).toBe(202);
    expect(JSON.parse(response.body)).toEqual({ queued: true });
    expect(h.sqs).toHaveReceivedCommandTimes(SendMessageCommand, 1);
    expect(h.sqs).toHaveReceivedCommandWith(SendMessageCommand, {
      QueueUrl: QUEUE,
      MessageGroupId: 'scaler',
      // One evaluation per 5-second window: the FIFO queue drops a repeated deduplication id.
      MessageDeduplicationId: `webhook-${Math.floor(Date.parse('2026-11-21T12:00:03Z') / 5000)}`,
      MessageBody: JSON.stringify({ source: 'prefect-ecs-stack.webhook', 'detail-type': 'Scaler Webhook', time: '2026-11-21T12:00:03.000Z', detail: {} }),
    });
  });

  it('gives requests in the same 5-second window the same deduplication id, the next window a new one', async () => {
    const ids = [];
    for (const at of ['2026-11-21T12:00:00.000Z', '2026-11-21T12:00:04.999Z', '2026-11-21T12:00:05.000Z']) {
      const h = harness(new Date(at));
      await h.handler(webhook);
      ids.push(h.sqs.commandCalls(SendMessageCommand)[0]!.args[0].input.MessageDeduplicationId);
    }
    expect(ids[0]).toBe(ids[1]);
    expect(ids[2]).not.toBe(ids[1]);
  });

  it.each<[string, Record<string, string>]>([
    ['a wrong token', { authorization: 'Bearer wrong' }],
    ['no token', {}],
    ['the token with one character more', { authorization: `Bearer ${TOKEN}x` }],
  ])('rejects %s with 401 and no SQS call', async (_name, headers) => {
    const h = harness();
    await h.secrets.get(SECRET); // what index.ts does at cold start
    const secretCalls = h.sm.calls().length;
    expect((await h.handler({ ...webhook, headers })).statusCode).toBe(401);
    expect(h.sqs.calls()).toHaveLength(0);
    expect(h.sm.calls()).toHaveLength(secretCalls);
    expect(JSON.stringify(h.logs)).not.toContain(TOKEN);
  });

  it('answers 405 to anything but POST and 400 to an event that is not a function URL request', async () => {
    const h = harness();
    const get = { ...webhook, requestContext: { ...webhook.requestContext, http: { ...webhook.requestContext.http, method: 'GET' } } };
    expect((await h.handler(get)).statusCode).toBe(405);
    expect((await h.handler({ hello: 'world' })).statusCode).toBe(400);
    expect(h.sqs.calls()).toHaveLength(0);
  });

  it('answers 503 when the evaluation cannot be queued', async () => {
    const h = harness();
    h.sqs.on(SendMessageCommand).rejects(new Error('SQS down'));
    expect((await h.handler(webhook)).statusCode).toBe(503);
    expect(h.logs.find((l) => l.level === 'ERROR')).toMatchObject({ message: 'webhook could not queue an evaluation', error: 'SQS down' });
  });

  it('answers 503 when the token cannot be read, and reads it again only after 5 seconds whatever the requests', async () => {
    let now = Date.parse('2026-11-21T12:00:03Z');
    const h = harness(undefined, () => new Date(now));
    h.sm.on(GetSecretValueCommand).rejectsOnce(new Error('throttled')).resolves({ SecretString: TOKEN });
    for (let i = 0; i < 5; i++) expect((await h.handler({ ...webhook, headers: { authorization: 'Bearer wrong' } })).statusCode).toBe(503);
    expect(h.sm.calls()).toHaveLength(1);
    expect(h.logs.find((l) => l.level === 'ERROR')).toMatchObject({ message: 'webhook token unreadable', retryInSeconds: 5 });
    now += 5000;
    expect((await h.handler(webhook)).statusCode).toBe(202);
    expect(h.sm.calls()).toHaveLength(2);
  });

  it('reads the token from Authorization: Bearer or X-Webhook-Token', () => {
    expect(tokenOf({ Authorization: 'Bearer abc ' })).toBe('abc');
    expect(tokenOf({ 'X-Webhook-Token': 'def' })).toBe('def');
    expect(tokenOf({})).toBeUndefined();
    expect(tokenOf(undefined)).toBeUndefined();
  });
});
