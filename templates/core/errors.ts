/** Errors of the template builders: both stop synthesis before anything is written. */
import { PrefectEcsStackError } from '../../lambdas/common/PrefectEcsStackError';

/** Two builders define the same logical ID: a programming error in a composer. */
export class DuplicateLogicalIdError extends PrefectEcsStackError {
  constructor(
    readonly section: string,
    readonly logicalId: string,
  ) {
    super(`two builders define ${section}.${logicalId}; logical IDs must be unique in a template`);
  }
}

/** A synth-time option is not allowed: names the option, the value and what is allowed. */
export class InvalidOptionError extends PrefectEcsStackError {
  constructor(
    readonly option: string,
    readonly value: unknown,
    expectation: string,
  ) {
    super(`${option} ${expectation} (got ${JSON.stringify(value)})`);
  }
}

/** An alarm the alarm topic cannot admit by ARN: a programming error in a builder. */
export class AlarmNameError extends PrefectEcsStackError {
  constructor(
    readonly alarmId: string,
    name: unknown,
  ) {
    super(`alarm ${alarmId} must be named stackAlarmName('${alarmId}') (templates/worker/alarmTopic.ts) so the alarm topic admits it (got ${JSON.stringify(name)})`);
  }
}
