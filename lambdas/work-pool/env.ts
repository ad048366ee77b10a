/**
 * The work-pool function's environment: only the Prefect connection. Everything about the pool
 * arrives in the custom resource's properties (settings.ts), so a stack update reaches it.
 */
import { PrefectEnv } from '../common/env';

export const WorkPoolEnv = { ...PrefectEnv } as const;
