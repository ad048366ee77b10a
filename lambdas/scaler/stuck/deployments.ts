/**
 * A deployment's concurrency limit, as far as the sweep needs it (`GET /deployments/{id}`,
 * DeploymentResponse: `concurrency_limit`, `global_concurrency_limit`, `concurrency_options`).
 *
 * Moving a run of a limited deployment out of PENDING, RUNNING or CANCELLING releases its slot
 * (ReleaseFlowConcurrencySlots, 3.6.28:src/prefect/server/orchestration/core_policy.py:857-932):
 * through the run's lease while it exists, or else by decrementing the deployment's limit
 * directly (:920-932). The lease lives `grace_period_seconds` (or the server's
 * `initial_deployment_lease_duration`, 300 s: 3.6.28:src/prefect/settings/models/server/
 * concurrency.py:19-24) past its last renewal; then the repossessor has already released the slot
 * and revoked the lease (3.6.28:src/prefect/server/services/repossessor.py:27-57), so any later
 * move releases it a second time and one run more than the limit may run. So the sweep moves a
 * run of a limited deployment only while its lease surely lives (`leaseAllows`), and otherwise
 * leaves it and reports it (README "Troubleshooting"). A PENDING run's lease is not renewed after
 * the Pending proposal; a running flow renews its own until its container stops.
 */
import { PrefectApiError } from '../../common/errors';
import { expectData, type PrefectClient } from '../../common/prefect/client';

/** `initial_deployment_lease_duration`'s default: the lease of a deployment without grace_period_seconds. */
export const DEFAULT_LEASE_SECONDS = 300;
/** Act only this long before the lease may expire: clock skew and the repossessor's 15 s loop. */
export const LEASE_MARGIN_SECONDS = 60;

export interface DeploymentLimits {
  readonly limited: boolean;
  /** A limit of 0: the server aborts every PENDING proposal of its runs. */
  readonly zero: boolean;
  readonly leaseSeconds: number;
}

const UNLIMITED: DeploymentLimits = { limited: false, zero: false, leaseSeconds: DEFAULT_LEASE_SECONDS };

const limitOf = (value: unknown): number | undefined => (typeof value === 'number' && Number.isInteger(value) ? value : undefined);

export function limitsOf(deployment: unknown): DeploymentLimits {
  const d = (typeof deployment === 'object' && deployment !== null ? deployment : {}) as Record<string, unknown>;
  const global = (d.global_concurrency_limit ?? undefined) as Record<string, unknown> | undefined;
  const limit = limitOf(global?.limit) ?? limitOf(d.concurrency_limit);
  const grace = limitOf(((d.concurrency_options ?? {}) as Record<string, unknown>).grace_period_seconds);
  return limit === undefined ? UNLIMITED : { limited: true, zero: limit === 0, leaseSeconds: grace ?? DEFAULT_LEASE_SECONDS };
}

/** Reads deployments once per sweep; a deleted one (404) has no limit. */
export class DeploymentLimitsReader {
  private readonly read = new Map<string, Promise<DeploymentLimits>>();

  constructor(private readonly prefect: PrefectClient) {}

  limitsOf(id: string | undefined): Promise<DeploymentLimits> {
    if (!id) return Promise.resolve(UNLIMITED);
    if (!this.read.has(id)) this.read.set(id, this.load(id));
    return this.read.get(id)!;
  }

  private async load(id: string): Promise<DeploymentLimits> {
    try {
      return limitsOf(await expectData<unknown>(`/deployments/${id}`, () => this.prefect.GET('/deployments/{id}', { params: { path: { id } } })));
    } catch (error) {
      if (error instanceof PrefectApiError && error.status === 404) return UNLIMITED;
      throw error;
    }
  }
}

/** Whether a run may leave its state without a second release: unlimited, or its lease (renewed last at `leaseFrom`) surely lives. */
export const leaseAllows = (limits: DeploymentLimits, leaseFrom: number | undefined, now: number) =>
  !limits.limited || (leaseFrom !== undefined && now - leaseFrom <= (limits.leaseSeconds - LEASE_MARGIN_SECONDS) * 1000);
