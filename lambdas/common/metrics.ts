/**
 * CloudWatch embedded metric format: one log line that CloudWatch turns into metrics, no
 * PutMetricData call and no extra permission. Hand-written because it is twenty lines; the
 * Powertools package would more than double the scaler's bundle.
 */
export type Unit = 'Count' | 'Seconds' | 'Milliseconds' | 'None';

export interface MetricValue {
  readonly value: number;
  readonly unit: Unit;
}

export function embeddedMetrics(
  namespace: string,
  dimensions: Record<string, string>,
  metrics: Record<string, MetricValue>,
  timestamp: number = Date.now(),
): Record<string, unknown> {
  return {
    _aws: {
      Timestamp: timestamp,
      CloudWatchMetrics: [
        {
          Namespace: namespace,
          Dimensions: [Object.keys(dimensions)],
          Metrics: Object.entries(metrics).map(([Name, m]) => ({ Name, Unit: m.unit })),
        },
      ],
    },
    ...dimensions,
    ...Object.fromEntries(Object.entries(metrics).map(([name, m]) => [name, m.value])),
  };
}

export const writeMetrics = (line: Record<string, unknown>, write: (text: string) => void = (t) => process.stdout.write(`${t}\n`)) =>
  write(JSON.stringify(line));
