/**
 * The base class of every error this project throws: in the Lambdas, the template builders and
 * the scripts alike. It names the error after its class and keeps `cause`. It imports nothing,
 * so a Lambda bundle that imports it gains nothing else. Each area declares its own subclasses,
 * carrying the context a person needs to act, in its errors.ts (lambdas/common, lambdas/<fn>,
 * templates/core, scripts/lib).
 */
export class PrefectEcsStackError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}
