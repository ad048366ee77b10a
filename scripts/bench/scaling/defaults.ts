/** The settings the benchmark runs with (the stack's defaults) and the README table it produces. */
import { SCALER_TICK_SECONDS } from '../../../lambdas/scaler/policy';
import { SUBMIT_SECONDS } from '../../../lambdas/scaler/prefectWorker';
import { resolveWorkerStackOptions } from '../../../templates/parameters/options';
import { renderScalingTable } from './readmeTable';
import { benchReport, runBench } from './run';
import type { SimulationSettings } from './simulate';
import { BUILT_IN_TRACES } from './traces';

/** The worker start the targets and the README table use. */
export const TARGET_WORKER_START_SECONDS = 60;

export function defaultSettings(workerStartSeconds: number): SimulationSettings {
  const s = resolveWorkerStackOptions().scaling;
  return { ...s, tickSeconds: SCALER_TICK_SECONDS, submitSeconds: SUBMIT_SECONDS, workerStartSeconds };
}

/** The README's scaling table: every built-in trace at the target worker start. */
export function scalingTable(): string {
  const settings = defaultSettings(TARGET_WORKER_START_SECONDS);
  const report = benchReport(settings, BUILT_IN_TRACES.map((make) => runBench(make(), settings)));
  return renderScalingTable(report.settings, report.traces);
}
