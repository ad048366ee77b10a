import { referencedNames } from './references';
import type { CfnTemplate } from './types';

/** Parameter names that can only mean a credential (an ARN of one is fine). */
export const CREDENTIAL_NAME = /(ApiKey|AuthValue|AuthString|Password|Token|Credential)(Value)?$/i;

/** Parameters that carry a secret: NoEcho ones, ones that feed a Secrets Manager secret, and ones named like a credential. */
export function secretParameters(template: CfnTemplate): Set<string> {
  const secrets = new Set<string>();
  for (const [name, parameter] of Object.entries(template.Parameters ?? {})) {
    if (parameter.NoEcho || CREDENTIAL_NAME.test(name)) secrets.add(name);
  }
  for (const resource of Object.values(template.Resources)) {
    if (resource.Type !== 'AWS::SecretsManager::Secret') continue;
    for (const name of referencedNames(resource.Properties?.SecretString)) if (template.Parameters?.[name]) secrets.add(name);
  }
  return secrets;
}
