/**
 * The registrar's CloudWatch metrics (embedded metric format, ../common/metrics.ts): how many
 * deployments an invocation failed for good or left for a retry, and a manifest it could not
 * read. Failures for good are not retried, so without these only a log line would show them; the
 * template's alarm watches DeploymentsFailed and ManifestInvalid.
 */
import { embeddedMetrics, writeMetrics } from '../common/metrics';
import { REGISTRAR_METRICS_NAMESPACE } from './env';
import type { DeploymentResult } from './registration/register';

export type RegistrarMetrics = (values: Readonly<Record<string, number>>) => void;

/** Writes the values as one EMF line with the function's name as the dimension. */
export const metricsWriter = (functionName: string, write?: (text: string) => void): RegistrarMetrics => (values) =>
  writeMetrics(embeddedMetrics(REGISTRAR_METRICS_NAMESPACE, { FunctionName: functionName }, Object.fromEntries(Object.entries(values).map(([name, value]) => [name, { value, unit: 'Count' as const }]))), write);

/** The counts of one invocation's outcomes. */
export const outcomeCounts = (results: readonly DeploymentResult[]) => ({
  DeploymentsWritten: results.filter((r) => r.outcome === 'created' || r.outcome === 'updated').length,
  DeploymentsFailed: results.filter((r) => r.outcome === 'failed').length,
  DeploymentsRetrying: results.filter((r) => r.outcome === 'retrying').length,
  ManifestInvalid: 0,
});
