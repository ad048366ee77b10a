import { containsDynamicSecretReference, referencedNames } from '../references';
import { secretParameters } from '../secretParameters';
import type { CfnTemplate, Verdict } from '../types';

/** Variable names that carry a credential themselves (a *_ARN pointing at one is fine). */
const CREDENTIAL_VARIABLE = /(API_KEY|AUTH_STRING|PASSWORD|TOKEN|SECRET)$/;

function environmentsOf(resource: CfnTemplate['Resources'][string]): [string, unknown][] {
  const props = resource.Properties ?? {};
  if (resource.Type === 'AWS::ECS::TaskDefinition') {
    return ((props.ContainerDefinitions as { Environment?: { Name: string; Value: unknown }[] }[]) ?? []).flatMap((c) =>
      (c.Environment ?? []).map((e): [string, unknown] => [e.Name, e.Value]),
    );
  }
  if (resource.Type === 'AWS::Lambda::Function' || resource.Type === 'AWS::Serverless::Function') {
    return Object.entries((props.Environment as { Variables?: Record<string, unknown> })?.Variables ?? {});
  }
  return [];
}

/** No container or function environment holds a secret, directly or through a secret parameter. */
export function noSecretInEnvironment(template: CfnTemplate, resourceId: string): Verdict {
  const resource = template.Resources[resourceId];
  const environment = resource ? environmentsOf(resource) : [];
  if (environment.length === 0) return 'N/A';
  const secrets = secretParameters(template);
  const leaks = environment.some(
    ([name, value]) =>
      CREDENTIAL_VARIABLE.test(name) || containsDynamicSecretReference(value) || [...referencedNames(value)].some((n) => secrets.has(n)),
  );
  return leaks ? 'NON_COMPLIANT' : 'COMPLIANT';
}
