/** Ports, names and versions of the self-hosted server that several of its builders share. */
export const SERVER_PORT = 4200;
export const DATABASE_PORT = 5432;
export const DATABASE_NAME = 'prefect';
export const DATABASE_USER = 'prefect';
/** A current PostgreSQL release (minor upgrades are automatic; Prefect needs 14.9+ for several servers). */
export const POSTGRES_VERSION = '17.6';
/**
 * "PostgreSQL version 14.9 or higher is required for multi-server deployments"
 * (Prefect 3.6.28:docs/v3/advanced/self-hosted.mdx:14,105). test/templates/serverHighAvailability.test.ts
 * holds POSTGRES_VERSION to it.
 */
export const PREFECT_MIN_POSTGRES_VERSION = '14.9';
export const SERVER_CONTAINER = 'prefect-server';
export const BACKGROUND_SERVICES_CONTAINER = 'prefect-services';
export const MIGRATION_CONTAINER = 'prefect-migrate';

/** The Valkey port, set explicitly (the replication group's default too). */
export const CACHE_PORT = 6379;
/** A Valkey release ElastiCache offers (cfn-lint 1.51 knows 7.2, 8.0, 8.1, 8.2, 9.0); minor upgrades are automatic. */
export const VALKEY_VERSION = '8.1';
/** Graviton burstable nodes: Prefect's streams and leases are small (watch the cache's memory metric). */
export const CACHE_NODE_TYPES = ['cache.t4g.micro', 'cache.t4g.small', 'cache.t4g.medium'];
/** API tasks always running in HA mode are one of 2..MAX_SERVER_REPLICAS (1 is the single-task mode). */
export const MAX_SERVER_REPLICAS = 6;
/** The most API tasks autoscaling may run. */
export const MAX_SERVER_MAX_REPLICAS = 20;
/**
 * Idle keep-alive of the API, above the load balancer's 60 s idle timeout: "configure the idle
 * timeout of your application to be larger than the idle timeout configured for the load
 * balancer" or the ALB answers 502
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/edit-load-balancer-attributes.html).
 * Prefect's default is 5 s (3.6.28:src/prefect/settings/models/server/api.py:50-53).
 */
export const API_KEEP_ALIVE_SECONDS = 65;
