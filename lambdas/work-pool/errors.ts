/**
 * Errors of the work-pool custom resource (the shared ones are in ../common/errors.ts). Every one
 * ends as the reason of a FAILED answer to CloudFormation, so each says what to fix.
 */
import { PrefectEcsStackError } from '../common/PrefectEcsStackError';

/** A property of the custom resource is missing or malformed: the template's wiring is wrong. */
export class InvalidPropertiesError extends PrefectEcsStackError {
  constructor(readonly property: string, problem: string) {
    super(`custom resource property ${property} ${problem}`);
  }
}

/** CloudFormation sent a request type other than Create, Update or Delete. */
export class UnknownRequestTypeError extends PrefectEcsStackError {
  constructor(readonly requestType: unknown) {
    super(`unknown RequestType ${JSON.stringify(requestType)}`);
  }
}

/** A pool of that name exists in Prefect with another worker type. */
export class WorkPoolTypeError extends PrefectEcsStackError {
  constructor(readonly pool: string, readonly type: string) {
    super(`work pool ${pool} exists with type "${type}", not "ecs": choose another WorkPoolName or delete that pool`);
  }
}

/** The pool's base job template is not one of the ECS worker's. */
export class InvalidBaseJobTemplateError extends PrefectEcsStackError {
  constructor(problem: string) {
    super(`the work pool's base job template ${problem}`);
  }
}

/** Prefect did not finish within the time left to answer CloudFormation. */
export class WorkTimeoutError extends PrefectEcsStackError {
  constructor(readonly seconds: number) {
    super(`Prefect did not finish within ${seconds} s: check the API URL and that the Lambda can reach it`);
  }
}

/** CloudFormation's pre-signed response URL refused the answer. */
export class CfnResponseError extends PrefectEcsStackError {
  constructor(readonly status: number) {
    super(`CloudFormation response URL answered ${status}`);
  }
}
