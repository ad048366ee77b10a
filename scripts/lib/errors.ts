/**
 * Errors of the command-line scripts. runCli (args.ts) prints a UsageError with the usage and
 * exits 2; any other error exits 1 with its message.
 */
import { PrefectEcsStackError } from '../../lambdas/common/PrefectEcsStackError';

/** The command line is wrong: a missing, unknown or malformed flag. */
export class UsageError extends PrefectEcsStackError {}

/** A file the command was pointed at does not exist. */
export class MissingFileError extends PrefectEcsStackError {
  constructor(readonly file: string, what: string = file, fix?: string) {
    super(`${what} does not exist${fix ? `: ${fix}` : ''}`);
  }
}

/** An external tool is not installed. */
export class ToolMissingError extends PrefectEcsStackError {
  constructor(readonly tool: string) {
    super(`${tool} is not installed: run "pip install -r requirements-dev.txt" (npm test and npm run synth do this for you)`);
  }
}

/** An external tool ran and failed (as opposed to reporting findings). */
export class ToolFailedError extends PrefectEcsStackError {
  constructor(readonly tool: string, message: string) {
    super(message);
  }
}

/** Publishing input is wrong, or a template refers to a bundle that was not built. */
export class PublishError extends PrefectEcsStackError {}

/** A quick-create URL would not work: a wrong region, stack name or parameter. */
export class LaunchUrlError extends PrefectEcsStackError {}

/** A cost estimate's input is not a parameter, an allowed value or a usage assumption. */
export class CostInputError extends PrefectEcsStackError {}

/** A scaling trace file is malformed: names the file and the first bad field. */
export class TraceFormatError extends PrefectEcsStackError {
  constructor(readonly file: string, problem: string) {
    super(`${file}: ${problem}`);
  }
}

/** The validation set-up itself is wrong: a parameter matrix that misses a Condition, a stale suppression. */
export class ValidationSetupError extends PrefectEcsStackError {}
