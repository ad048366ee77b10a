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
