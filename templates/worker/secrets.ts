/**
 * The Prefect credential. Either the user names an existing Secrets Manager secret, or the
 * stack creates one from a NoEcho parameter. Consumers read the ARN through `prefectSecretArn()`
 * so they never care which; the value never leaves Secrets Manager except into the container's
 * `secrets` (ECS resolves it at task start).
 */
import { SecretsManager } from 'cloudform';
import { iff, keepOnDeleteAndReplace, ref, sub, type Intrinsic } from '../core/cfn';
import type { TemplateFragment } from '../core/template';
import { Cond, Param, Res } from '../core/ids';

/** ARN of the credential secret; only meaningful under the HasPrefectAuth condition. */
export const prefectSecretArn = (): Intrinsic =>
  iff(Cond.UseExistingAuthSecret, ref(Param.PrefectAuthSecretArn), ref(Res.PrefectAuthSecret));

export function buildPrefectSecret(): TemplateFragment {
  return {
    Resources: {
      // Deleted with the stack: it holds a copy of a credential the user has, which nothing else uses.
      [Res.PrefectAuthSecret]: keepOnDeleteAndReplace(
        new SecretsManager.Secret({
          Description: sub('Prefect API credential of stack ${AWS::StackName}'),
          SecretString: ref(Param.PrefectAuthValue),
        }).condition(Cond.CreateAuthSecret),
        'Delete',
      ),
    },
  };
}
