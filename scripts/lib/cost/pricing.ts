/**
 * us-east-1 on-demand list prices the cost estimate uses. Taken from AWS's public price pages
 * as of the date below; nothing here fetches prices (no network), so refresh this table when
 * you rely on the figures.
 */
export const PRICE_TABLE_DATE = '2025-06-01';
export const HOURS_PER_MONTH = 730;

export const PRICES = {
  fargate: { vcpuHour: 0.04048, gbHour: 0.004445 },
  /** Fargate Spot in us-east-1 runs about 70% below on-demand. */
  fargateSpotDiscount: 0.7,
  rds: {
    instanceHour: {
      'db.t4g.micro': 0.016,
      'db.t4g.small': 0.032,
      'db.t4g.medium': 0.065,
      'db.t4g.large': 0.129,
      'db.m7g.large': 0.168,
      'db.m7g.xlarge': 0.337,
      'db.r7g.large': 0.239,
    } as Record<string, number>,
    gp3GbMonth: 0.115,
  },
  alb: { hour: 0.0225, lcuHour: 0.008 },
  natGateway: { hour: 0.045, gb: 0.045 },
  interfaceEndpoint: { hourPerZone: 0.01, gb: 0.01 },
  lambda: { requestPerMillion: 0.2, arm64GbSecond: 0.0000133334 },
  secretsManager: { secretMonth: 0.4, per10kCalls: 0.05 },
  logs: { ingestGb: 0.5, storeGbMonth: 0.03 },
  cloudWatch: { metricMonth: 0.3, alarmMonth: 0.1, dashboardMonth: 3 },
  ecr: { gbMonth: 0.1 },
  /** A customer managed key: $1 a month (KMS pricing page). */
  kms: { keyMonth: 1 },
  /**
   * ElastiCache for Valkey on-demand nodes (the server's cache with ServerReplicas >= 2): the
   * Redis OSS node prices of https://aws.amazon.com/elasticache/pricing/ (cache.t4g.micro $0.016,
   * small $0.032, medium $0.065 an hour) less the 20% Valkey discount ("On ElastiCache for Valkey
   * self-designed node-based, you can benefit from up to 20% lower cost per node",
   * https://aws.amazon.com/elasticache/faqs/). Not read from the live page (no network here):
   * refresh with PRICE_TABLE_DATE.
   */
  elastiCache: {
    valkeyNodeHour: {
      'cache.t4g.micro': 0.0128,
      'cache.t4g.small': 0.0256,
      'cache.t4g.medium': 0.052,
    } as Record<string, number>,
  },
} as const;
