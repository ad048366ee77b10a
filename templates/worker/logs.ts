/**
 * Log groups of the worker and of flow runs. They are retained when the stack is deleted or
 * replaced: flow-run logs are the record of what ran, and retention still expires them.
 */
import { Logs } from 'cloudform';
import { keepOnDeleteAndReplace, ref } from '../core/cfn';
import type { TemplateFragment } from '../core/template';
import { Param, Res } from '../core/ids';

export const retainedLogGroup = () => keepOnDeleteAndReplace(new Logs.LogGroup({ RetentionInDays: ref(Param.LogRetentionDays) }), 'Retain');

export function buildLogGroups(): TemplateFragment {
  return {
    Resources: {
      [Res.WorkerLogGroup]: retainedLogGroup(),
      [Res.FlowRunLogGroup]: retainedLogGroup(),
    },
  };
}
