/** A local HTTP server standing in for CloudFormation's pre-signed response URL. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedResponse {
  readonly method: string;
  readonly contentType?: string;
  readonly body: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  readonly receivedAt: number;
}

export class CfnResponseReceiver {
  readonly received: ReceivedResponse[] = [];
  /** Answer 500 to this many PUTs first (a flaky S3). */
  failNext = 0;
  private constructor(private readonly server: http.Server) {}

  static async start(): Promise<CfnResponseReceiver> {
    let receiver: CfnResponseReceiver | undefined;
    const server = http.createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      if (receiver!.failNext > 0) {
        receiver!.failNext--;
        res.writeHead(500).end();
        return;
      }
      receiver!.received.push({
        method: req.method ?? '',
        contentType: req.headers['content-type'],
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
        receivedAt: Date.now(),
      });
      res.writeHead(200).end();
    });
    receiver = new CfnResponseReceiver(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  url(requestId: string): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/cfn-response/${requestId}?X-Amz-Signature=test`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
