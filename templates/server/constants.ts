/** Ports, names and versions of the self-hosted server that several of its builders share. */
export const SERVER_PORT = 4200;
export const DATABASE_PORT = 5432;
export const DATABASE_NAME = 'prefect';
export const DATABASE_USER = 'prefect';
/** A current PostgreSQL release (minor upgrades are automatic; Prefect needs 14.9+ for several servers). */
export const POSTGRES_VERSION = '17.6';
export const SERVER_CONTAINER = 'prefect-server';
