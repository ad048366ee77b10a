/**
 * The dead-letter alarms of the synthesized templates, run over minute-by-minute SQS metric
 * series. The expression evaluator below implements only what the alarms use, as the metric-math
 * guide defines it (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html):
 * DIFF "Returns the difference between each value in the time series and the preceding value"
 * (so the first value has none), FILL(m, v) fills the missing values of m with v, and `+` adds
 * the values of one timestamp. The series follow the SQS metrics guide
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-available-cloudwatch-metrics.html):
 * an idle queue publishes nothing ("All metrics emit non-negative values only when the queue is
 * active"), ApproximateNumberOfMessagesNotVisible only while messages are in flight. This is a
 * model of the documented functions, not of CloudWatch's alarm evaluator: it shows what the
 * expressions compute, e.g. that the expression issue 9 first shipped had no value for the first
 * dead letter after a quiet period.
 */
import { buildServerStack } from '../../templates/stacks/server';
import { buildWorkerStack } from '../../templates/stacks/worker';
import type { Json } from '../support/template';

type Series = (number | undefined)[];
const _ = undefined;

/** Evaluates `DIFF(…)`, `FILL(…, n)`, `a + b` and metric IDs over series of equal length. */
function evaluate(expression: string, metrics: Record<string, Series>): Series {
  let at = 0;
  const text = expression.replace(/\s+/g, '');
  const expect_ = (token: string) => {
    if (!text.startsWith(token, at)) throw new Error(`expected ${token} at ${at} in ${expression}`);
    at += token.length;
  };
  const term = (): Series => {
    const name = /^[A-Za-z][A-Za-z0-9_]*/.exec(text.slice(at))![0];
    at += name.length;
    if (name === 'DIFF') {
      expect_('(');
      const s = sum();
      expect_(')');
      return s.map((v, i) => (i > 0 && v !== undefined && s[i - 1] !== undefined ? v - s[i - 1]! : undefined));
    }
    if (name === 'FILL') {
      expect_('(');
      const s = sum();
      expect_(',');
      const value = Number(/^-?[0-9.]+/.exec(text.slice(at))![0]);
      at += String(value).length;
      expect_(')');
      return s.map((v) => v ?? value);
    }
    if (!metrics[name]) throw new Error(`unknown metric ${name} in ${expression}`);
    return metrics[name]!;
  };
  const sum = (): Series => {
    let left = term();
    while (text[at] === '+') {
      at++;
      const right = term();
      left = left.map((v, i) => (v !== undefined && right[i] !== undefined ? v + right[i]! : undefined));
    }
    return left;
  };
  const result = sum();
  if (at !== text.length) throw new Error(`unparsed rest of ${expression}: ${text.slice(at)}`);
  return result;
}

/** Whether the alarm would be in ALARM after the last minute: DatapointsToAlarm of the last EvaluationPeriods points above the threshold. */
function breaches(alarm: Json, series: Series): boolean {
  const window = series.slice(-alarm.EvaluationPeriods);
  return window.filter((v) => v !== undefined && v > alarm.Threshold).length >= (alarm.DatapointsToAlarm ?? alarm.EvaluationPeriods);
}

/** The alarm's value series for the given metric series, by metric name. */
function arrivals(alarm: Json, byMetricName: Record<string, Series>): Series {
  const metrics = Object.fromEntries(alarm.Metrics.filter((m: Json) => m.MetricStat).map((m: Json) => [m.Id, byMetricName[m.MetricStat.Metric.MetricName] ?? []]));
  return evaluate(alarm.Metrics.find((m: Json) => m.ReturnData).Expression, metrics);
}

const REDRIVE_FED = ['EcsObserverDeadLetterAlarm', 'ScalerTriggerDeadLetterAlarm'];
/** The expression issue 9 first shipped, for comparison. */
const FIRST_SHIPPED = { Metrics: [{ Id: 'visible', MetricStat: { Metric: { MetricName: 'ApproximateNumberOfMessagesVisible' } } }, { Id: 'e', Expression: 'DIFF(visible)', ReturnData: true }], EvaluationPeriods: 1, Threshold: 0 };

describe.each([
  ['worker', buildWorkerStack() as unknown as Json],
  ['server', buildServerStack() as unknown as Json],
])('the dead-letter alarms of the %s stack', (_name, template) => {
  const alarm = (id: string) => template.Resources[id].Properties as Json;

  it.each(REDRIVE_FED)('%s notifies the first dead letter after a quiet day, which DIFF(visible) alone has no value for', (id) => {
    // Idle (no data), then one message redriven in minute 5 that stays.
    const quietThenOne = { ApproximateNumberOfMessagesVisible: [_, _, _, _, _, 1], ApproximateNumberOfMessagesNotVisible: [_, _, _, _, _, _] };
    expect(arrivals(alarm(id), quietThenOne)).toEqual([_, 0, 0, 0, 0, 1]);
    expect(breaches(alarm(id), arrivals(alarm(id), quietThenOne))).toBe(true);
    expect(arrivals(FIRST_SHIPPED, quietThenOne)).toEqual([_, _, _, _, _, _]);
    expect(breaches(FIRST_SHIPPED, arrivals(FIRST_SHIPPED, quietThenOne))).toBe(false);
  });

  it.each(REDRIVE_FED)('%s stays quiet while someone reads the queue without deleting, which DIFF(visible) reported as arrivals', (id) => {
    // One message sits; a receive hides it for the visibility timeout, then it is visible again.
    const reading = { ApproximateNumberOfMessagesVisible: [1, 1, 0, 0, 1, 1], ApproximateNumberOfMessagesNotVisible: [_, _, 1, 1, _, _] };
    expect(arrivals(alarm(id), reading)).toEqual([_, 0, 0, 0, 0, 0]);
    expect(breaches(alarm(id), arrivals(alarm(id), reading))).toBe(false);
    // DIFF(visible) rose by 1 when the message became visible again: an "arrival" alarm for a read.
    expect(arrivals(FIRST_SHIPPED, reading)).toEqual([_, 0, -1, 0, 1, 0]);
  });

  it.each(REDRIVE_FED)('%s still counts a rise whose data point arrives late (1 of 5 minutes), and returns to OK once the count is flat', (id) => {
    const a = alarm(id);
    // The newest minute has no point yet (FILL makes it 0), the one before holds the arrival.
    expect(breaches(a, arrivals(a, { ApproximateNumberOfMessagesVisible: [_, _, _, _, 1, _], ApproximateNumberOfMessagesNotVisible: [_, _, _, _, _, _] }))).toBe(true);
    expect(breaches(a, arrivals(a, { ApproximateNumberOfMessagesVisible: [_, 1, 1, 1, 1, 1, 1, 1], ApproximateNumberOfMessagesNotVisible: Array(8).fill(_) }))).toBe(false);
  });

  it('LambdaDeadLetterAlarm notifies a message sent after a quiet day and nothing else (reading sends nothing)', () => {
    const a = alarm('LambdaDeadLetterAlarm');
    const sent = (values: Series) => breaches(a, values);
    expect(a.MetricName).toBe('NumberOfMessagesSent');
    expect(sent([_, _, _, _, 1])).toBe(true);
    expect(sent([_, _, 1, 0, 0])).toBe(false);
    expect(sent([_, _, _, _, _])).toBe(false);
  });
});
