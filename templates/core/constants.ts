/** Facts about AWS and Prefect that several builders and the validators share. */

/** The one Lambda runtime of the project (cfn-lint rejects nodejs20.x as deprecated). */
export const LAMBDA_RUNTIME = 'nodejs22.x';

/** Template size limits of CloudFormation, in bytes. */
export const TEMPLATE_BODY_LIMIT_BYTES = 51_200;
export const TEMPLATE_S3_LIMIT_BYTES = 1_000_000;

/** A pinned prefect-aws image: the ECS worker and its task observer ship in it. */
export const DEFAULT_WORKER_IMAGE = 'prefecthq/prefect-aws:0.7.7-python3.12-prefect3.6.28';

/**
 * Valid Fargate task sizes, as "cpu/memory" (CPU units / MiB), from the Fargate task-size table.
 * One parameter whose AllowedValues are exactly these pairs lets the console reject a bad
 * combination before anything is created.
 */
export const FARGATE_SIZES: readonly string[] = (() => {
  const rows: [cpu: number, fromMiB: number, toMiB: number, stepMiB: number][] = [
    [256, 512, 2048, 0], // 512, 1024, 2048 (special-cased below)
    [512, 1024, 4096, 1024],
    [1024, 2048, 8192, 1024],
    [2048, 4096, 16384, 1024],
    [4096, 8192, 30720, 1024],
    [8192, 16384, 61440, 4096],
    [16384, 32768, 122880, 8192],
  ];
  const sizes: string[] = [];
  for (const [cpu, from, to, step] of rows) {
    const memories = step === 0 ? [512, 1024, 2048] : range(from, to, step);
    for (const memory of memories) sizes.push(`${cpu}/${memory}`);
  }
  return sizes;
})();

function range(from: number, to: number, step: number): number[] {
  const values: number[] = [];
  for (let value = from; value <= to; value += step) values.push(value);
  return values;
}

/** Retention values CloudWatch Logs accepts (days). */
export const LOG_RETENTION_DAYS: readonly number[] = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

/** The worker container's health endpoint (`prefect worker start --with-healthcheck`). */
export const WORKER_HEALTH_PORT = 8080;
export const WORKER_CONTAINER_NAME = 'prefect-worker';
