/** The templates this project publishes; synth writes each to build/<name>.template.{json,yaml}. */
import type { StackTemplate } from '../cfn';
import { buildWorkerStack } from './worker';

export interface PublishedStack {
  readonly name: string;
  readonly build: () => StackTemplate;
}

export const PUBLISHED_STACKS: readonly PublishedStack[] = [{ name: 'worker', build: () => buildWorkerStack() }];
