/** The templates this project publishes; synth writes each to build/<name>.template.{json,yaml}. */
import type { StackTemplate } from '../core/template';
import type { WorkerStackOptions } from '../parameters/options';
import { buildServerStack } from './server';
import { buildWorkerStack } from './worker';

export interface PublishedStack {
  readonly name: string;
  readonly build: (options?: WorkerStackOptions) => StackTemplate;
}

export const PUBLISHED_STACKS: readonly PublishedStack[] = [
  { name: 'worker', build: (options) => buildWorkerStack(options) },
  { name: 'server', build: (options) => buildServerStack(options) },
];
