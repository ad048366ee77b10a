/**
 * Errors of the command-line scripts. runCommand (cli/runCommand.ts) prints a UsageError with
 * the usage and exits 2; any other error exits 1 with its message on one line.
 */
import { PrefectEcsStackError } from '../../lambdas/common/PrefectEcsStackError';

/** The command line does not parse: an unknown flag, a missing value or required flag, a stray argument. Exit status 2, with the usage. */
export class UsageError extends PrefectEcsStackError {}

/** A file the user named is missing, a directory or unreadable: names how they named it and the path. */
export class InputFileError extends PrefectEcsStackError {
  constructor(readonly what: string, readonly file: string, problem: string) {
    super(what === file ? `${file} ${problem}` : `${what} ${file} ${problem}`);
  }
}

/** The synth options (stack.config.yaml or flags) are wrong: names the file or flag, the option and the fix. */
export class StackConfigError extends PrefectEcsStackError {}

/** A parameter value the template would refuse: names the parameter, the value and what is allowed. */
export class ParameterValueError extends PrefectEcsStackError {}

/** A template's Rules use something CloudFormation does not allow there, or are malformed. */
export class RuleEvaluationError extends PrefectEcsStackError {
  constructor(readonly rule: string, problem: string) {
    super(`rule ${rule}: ${problem}`);
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
  constructor(readonly tool: string, message: string, options?: ErrorOptions) {
    super(message, options);
  }
}

/** Publishing input is wrong, or a template refers to a bundle that was not built. */
export class PublishError extends PrefectEcsStackError {}

/** A quick-create URL would not work: a wrong region, stack name or parameter. */
export class LaunchUrlError extends PrefectEcsStackError {}

/** A flag's value is not one the flag allows (a choice, a range, a format): names the flag and the value. */
export class FlagValueError extends PrefectEcsStackError {}

/** A cost estimate's input is not a parameter, an allowed value or a usage assumption. */
export class CostInputError extends PrefectEcsStackError {}

/** README.md's generated blocks are missing, unclosed or out of date. */
export class ReadmeError extends PrefectEcsStackError {}

/** A scaling trace file is malformed: names the file and the first bad field. */
export class TraceFormatError extends PrefectEcsStackError {
  constructor(readonly file: string, problem: string) {
    super(`${file}: ${problem}`);
  }
}

/** The validation set-up itself is wrong: a parameter matrix that misses a Condition, a stale suppression. */
export class ValidationSetupError extends PrefectEcsStackError {}
