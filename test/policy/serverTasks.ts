/** What the server-stack checks share: which ECS services run the Prefect server, and their containers. */
import { referencedIds } from './references';
import type { CfnTemplate } from './types';

export interface Container {
  Name?: string;
  Essential?: boolean;
  Command?: unknown[];
  Environment?: { Name: string; Value: unknown }[];
  DependsOn?: { ContainerName: string; Condition: string }[];
}

export const containersOf = (template: CfnTemplate, taskDefinition: string): Container[] =>
  (template.Resources[taskDefinition]?.Properties?.ContainerDefinitions as Container[]) ?? [];

/**
 * The words a container runs: its command, or for `/bin/sh -c SCRIPT NAME ARGS...` the script's
 * words followed by ARGS (a wrapper that ends in `exec "$@"` runs them; a script may name its
 * command itself).
 */
function commandWords(command: unknown[]): unknown[] {
  const [shell, flag, script, , ...args] = command;
  if (shell === '/bin/sh' && flag === '-c' && typeof script === 'string') return [...script.split(/\s+/), ...args];
  return command;
}

/** Whether `words` appear one after another in a container's command (`prefect server start`). */
export const runs = (container: Container, ...words: string[]) =>
  commandWords(container.Command ?? []).some((_, i, all) => words.every((word, k) => all[i + k] === word));

/** ECS services whose task definitions (either branch of an Fn::If) run only `prefect server ...` containers. */
export function serverServices(template: CfnTemplate): string[] {
  return Object.entries(template.Resources)
    .filter(([, r]) => r.Type === 'AWS::ECS::Service')
    .filter(([, r]) => {
      const definitions = referencedIds(r.Properties?.TaskDefinition);
      return definitions.length > 0 && definitions.every((td) => containersOf(template, td).length > 0 && containersOf(template, td).every((c) => runs(c, 'prefect', 'server')));
    })
    .map(([id]) => id);
}
