/** Errors of the registrar (the shared ones are in ../common/errors.ts). */
import { PrefectEcsStackError } from '../common/PrefectEcsStackError';

/** The manifest is wrong: names the file, the deployment and the field. Reported, never retried. */
export class ManifestError extends PrefectEcsStackError {
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(`${file}: ${problems.join('; ')}`);
  }
}
