/** Shared steps of the tests that create stacks in moto and compare templates to golden files. */
import { DescribeStacksCommand, type CloudFormationClient, type Stack } from '@aws-sdk/client-cloudformation';
import fs from 'node:fs';
import path from 'node:path';

/** Polls until the stack leaves every *_IN_PROGRESS state. */
export async function waitForStack(cloudformation: CloudFormationClient, name: string): Promise<Stack> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const stack = (await cloudformation.send(new DescribeStacksCommand({ StackName: name }))).Stacks![0]!;
    if (!stack.StackStatus!.endsWith('IN_PROGRESS')) return stack;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${name} did not settle`);
}

/** Compares with test/templates/golden/<file>; UPDATE_GOLDEN=1 rewrites it after an intended change. */
export function expectGolden(file: string, text: string): void {
  const golden = path.join(process.cwd(), 'test', 'templates', 'golden', file);
  if (process.env.UPDATE_GOLDEN === '1') fs.writeFileSync(golden, text);
  expect(text).toBe(fs.readFileSync(golden, 'utf8'));
}
