/**
 * The Prefect server's containers in its two modes.
 *
 * One task (ServerReplicas=1): `prefect server start` runs the API, the UI and the background
 * services in one process and migrates the database at start (PREFECT_SERVER_DATABASE_MIGRATE_ON_START
 * defaults to true: 3.6.28:src/prefect/settings/models/server/database.py:253-261).
 *
 * High availability (ServerReplicas >= 2), as Prefect's "How to scale self-hosted Prefect"
 * lays out (3.6.28:docs/v3/advanced/self-hosted.mdx:10-16,196-269): API tasks run
 * `prefect server start --no-services` ("Only run the webserver API and UI.",
 * 3.6.28:src/prefect/cli/server.py:101-106); one background-services task runs
 * `prefect server services start` (foreground by default, 3.6.28:src/prefect/cli/server.py:597-643);
 * a migration container in that task runs `prefect server database upgrade -y` (415-453) once per
 * deployment, and no process migrates at start: Prefect's migrations take no cross-process lock
 * (only an in-process threading.Lock, 3.6.28:src/prefect/server/database/alembic_commands.py:19-38).
 * Every HA process talks to Redis (ElastiCache for Valkey, cache.ts) through prefect-redis.
 */
import { getAtt, ref, sub, type Value } from '../core/cfn';
import { Param, Res } from '../core/ids';
import { fargateSize } from '../worker/ecs';
import {
  API_KEEP_ALIVE_SECONDS,
  BACKGROUND_SERVICES_CONTAINER,
  DATABASE_NAME,
  DATABASE_USER,
  MIGRATION_CONTAINER,
  SERVER_CONTAINER,
  SERVER_PORT,
} from './constants';
import { API_POOL, databaseSecretArn } from './database';
import { serverApiUrl } from './loadBalancer';

type Environment = Record<string, Value<string>>;
type Secret = { Name: string; ValueFrom: Value<string> };

/** The server process listens on all interfaces (Prefect's default host is 127.0.0.1: 3.6.28:src/prefect/settings/models/server/api.py:24-27). */
const listening = (): Environment => ({
  PREFECT_SERVER_API_HOST: '0.0.0.0',
  PREFECT_SERVER_API_PORT: String(SERVER_PORT),
  PREFECT_UI_API_URL: serverApiUrl(),
});

const database = (): Environment => ({
  PREFECT_SERVER_DATABASE_DRIVER: 'postgresql+asyncpg',
  PREFECT_SERVER_DATABASE_HOST: getAtt(Res.Database, 'Endpoint.Address'),
  PREFECT_SERVER_DATABASE_PORT: getAtt(Res.Database, 'Endpoint.Port'),
  PREFECT_SERVER_DATABASE_NAME: DATABASE_NAME,
  PREFECT_SERVER_DATABASE_USER: DATABASE_USER,
});

/**
 * The API tasks' smaller SQLAlchemy pool, so ServerMaxReplicas of them fit the database
 * (database.ts; 3.6.28:src/prefect/settings/models/server/database.py:114-142, passed to
 * SQLAlchemy's create_async_engine in 3.6.28:src/prefect/server/database/configurations.py:328-332).
 */
const apiPool = (): Environment => ({
  PREFECT_SERVER_DATABASE_SQLALCHEMY_POOL_SIZE: String(API_POOL.size),
  PREFECT_SERVER_DATABASE_SQLALCHEMY_MAX_OVERFLOW: String(API_POOL.overflow),
});

/** TLS to RDS, no telemetry, and a writable home on the scratch volume. */
const runtime = (): Environment => ({
  // RDS PostgreSQL requires TLS; asyncpg takes the mode from PGSSLMODE.
  PGSSLMODE: 'require',
  PREFECT_SERVER_ANALYTICS_ENABLED: 'false',
  HOME: '/tmp',
  PREFECT_HOME: '/tmp/prefect',
});

/**
 * Prefect's in-memory messaging, ordering and lease storage replaced by prefect-redis, the
 * settings Prefect's guide names (3.6.28:docs/v3/advanced/self-hosted.mdx:131-168), by their
 * canonical names: PREFECT_SERVER_EVENTS_MESSAGING_BROKER/_CACHE (aliases PREFECT_MESSAGING_BROKER/
 * _CACHE, 3.6.28:src/prefect/settings/models/server/events.py:123-141),
 * PREFECT_SERVER_EVENTS_CAUSAL_ORDERING (143-146), PREFECT_SERVER_CONCURRENCY_LEASE_STORAGE
 * (3.6.28:src/prefect/settings/models/server/concurrency.py:14-17). The connection uses
 * prefect-redis's discrete settings (3.6.28:src/integrations/prefect-redis/prefect_redis/client.py:16-55,
 * in every prefect-redis since 0.2.2): the primary endpoint, which ElastiCache moves to the
 * promoted replica on failover (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/AutoFailover.html),
 * TLS, database 0; the AUTH token arrives as PREFECT_REDIS_MESSAGING_PASSWORD from Secrets Manager.
 */
const redis = (): Environment => ({
  PREFECT_SERVER_EVENTS_MESSAGING_BROKER: 'prefect_redis.messaging',
  PREFECT_SERVER_EVENTS_MESSAGING_CACHE: 'prefect_redis.messaging',
  PREFECT_SERVER_EVENTS_CAUSAL_ORDERING: 'prefect_redis.ordering',
  PREFECT_SERVER_CONCURRENCY_LEASE_STORAGE: 'prefect_redis.lease_storage',
  PREFECT_REDIS_MESSAGING_HOST: getAtt(Res.Cache, 'PrimaryEndPoint.Address'),
  PREFECT_REDIS_MESSAGING_PORT: getAtt(Res.Cache, 'PrimaryEndPoint.Port'),
  PREFECT_REDIS_MESSAGING_DB: '0',
  PREFECT_REDIS_MESSAGING_SSL: 'true',
});

/**
 * Runs its arguments with the two Redis settings that need the token in them:
 * - PREFECT_SERVER_DOCKET_URL, which coordinates the background services and the API's
 *   background tasks; Docket takes only a URL (3.6.28:src/prefect/settings/models/server/docket.py:23-26),
 *   and ECS injects a secret only as a whole variable. Database 1 keeps Docket apart from the
 *   messaging streams in database 0, as Prefect's guide suggests (self-hosted.mdx:170-194).
 * - An empty PREFECT_REDIS_MESSAGING_USERNAME (prefect-redis defaults to "default",
 *   client.py:45): redis-py then sends `AUTH <token>`, the form ElastiCache's AUTH token takes
 *   (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/auth.html); the Docket URL has no
 *   user for the same reason.
 * The token is letters and digits only (cache.ts), so it needs no escaping in a URL. (No ${...}
 * braces: CloudFormation would take them for Fn::Sub variables, E1029.)
 */
export const REDIS_ENV_SCRIPT = [
  'set -eu',
  'export PREFECT_SERVER_DOCKET_URL="rediss://:$PREFECT_REDIS_MESSAGING_PASSWORD@$PREFECT_REDIS_MESSAGING_HOST:$PREFECT_REDIS_MESSAGING_PORT/1"',
  'export PREFECT_REDIS_MESSAGING_USERNAME=',
  'exec "$@"',
].join('\n');

/** The image's entrypoint (tini, then `exec "$@"`: 3.6.28:Dockerfile:207, scripts/entrypoint.sh) runs this shell, which runs `command`. */
const withRedis = (command: readonly string[]): string[] => ['/bin/sh', '-c', REDIS_ENV_SCRIPT, 'prefect-redis-env', ...command];

const databasePassword = () => ({ Name: 'PREFECT_SERVER_DATABASE_PASSWORD', ValueFrom: sub('${Secret}:password::', { Secret: databaseSecretArn() }) });
const authString = () => ({ Name: 'PREFECT_SERVER_API_AUTH_STRING', ValueFrom: ref(Res.ServerAuthSecret) });
const cacheToken = () => ({ Name: 'PREFECT_REDIS_MESSAGING_PASSWORD', ValueFrom: ref(Res.CacheAuthSecret) });

const variables = (env: Environment) => Object.entries(env).map(([Name, Value]) => ({ Name, Value }));
const scratch = { ReadonlyRootFilesystem: true, MountPoints: [{ SourceVolume: 'scratch', ContainerPath: '/tmp', ReadOnly: false }] };
const logs = (prefix: string) => ({
  LogDriver: 'awslogs',
  Options: { 'awslogs-group': ref(Res.ServerLogGroup), 'awslogs-region': ref('AWS::Region'), 'awslogs-stream-prefix': prefix },
});
/** /api/health answers 200 `true` (3.6.28:src/prefect/server/api/server.py:382-384). */
const apiHealthCheck = () => ({
  Command: ['CMD-SHELL', `python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:${SERVER_PORT}/api/health', timeout=5)"`],
  Interval: 30,
  Timeout: 10,
  Retries: 3,
  StartPeriod: 120,
});

/** A container that serves the API and the UI on SERVER_PORT behind the load balancer. */
function apiServer(Command: string[], env: Environment, secrets: Secret[]) {
  return {
    Name: SERVER_CONTAINER,
    Image: ref(Param.ServerImage),
    Essential: true,
    Command,
    PortMappings: [{ ContainerPort: SERVER_PORT, Protocol: 'tcp' }],
    Environment: variables(env),
    Secrets: secrets,
    Memory: fargateSize(Param.ServerSize).memory,
    ...scratch,
    HealthCheck: apiHealthCheck(),
    LogConfiguration: logs('server'),
  };
}

/** ServerReplicas=1: API, UI and background services in one process, which migrates at start. */
export function singleServerContainer() {
  return apiServer(
    ['prefect', 'server', 'start', '--host', '0.0.0.0', '--port', String(SERVER_PORT)],
    { ...listening(), ...database(), PREFECT_SERVER_DATABASE_MIGRATE_ON_START: 'true', ...runtime() },
    [databasePassword(), authString()],
  );
}

/** HA: one of several API tasks. It neither migrates nor runs the background services. */
export function apiContainer() {
  return apiServer(
    withRedis(['prefect', 'server', 'start', '--host', '0.0.0.0', '--port', String(SERVER_PORT), '--no-services', '--keep-alive-timeout', String(API_KEEP_ALIVE_SECONDS)]),
    { ...listening(), ...database(), PREFECT_SERVER_DATABASE_MIGRATE_ON_START: 'false', ...apiPool(), ...runtime(), ...redis() },
    [databasePassword(), authString(), cacheToken()],
  );
}

/**
 * Exits 0 when this image knows every revision the database is stamped with (or the database is
 * new), 3 when the database is at a revision this image does not know: a newer release migrated
 * it and this older image came back (a CloudFormation rollback). Then `alembic upgrade` would
 * fail with "Can't locate revision", the services would never start and the rollback would hang;
 * instead the task logs it loudly and starts the services on the newer schema, which is what the
 * API tasks do anyway until someone runs `prefect server database downgrade` (README). Prefect's
 * own Alembic configuration and migration folder: alembic_config()
 * (3.6.28:src/prefect/server/database/alembic_commands.py:41-51), the dialect's versions_dir as
 * env.py sets it (3.6.28:src/prefect/server/database/_migrations/env.py:182-190,
 * orm_models.py:1592-1600), the engine from provide_database_interface (database/__init__.py).
 */
export const REVISION_CHECK = [
  'import asyncio, sys',
  'from alembic.script import ScriptDirectory',
  'from alembic.util import CommandError',
  'from sqlalchemy import text',
  'from prefect.server.database import provide_database_interface',
  'from prefect.server.database.alembic_commands import alembic_config',
  'db = provide_database_interface()',
  'async def stamped():',
  '    engine = await db.engine()',
  '    async with engine.connect() as connection:',
  '        if (await connection.execute(text("SELECT to_regclass(\'alembic_version\')"))).scalar() is None:',
  '            return []',
  '        return list((await connection.execute(text("SELECT version_num FROM alembic_version"))).scalars())',
  'config = alembic_config()',
  'config.set_main_option("version_locations", str(db.orm.versions_dir))',
  'script = ScriptDirectory.from_config(config)',
  'unknown = []',
  'for revision in asyncio.run(stamped()):',
  '    try:',
  '        script.get_revision(revision)',
  '    except CommandError:',
  '        unknown.append(revision)',
  'if unknown:',
  '    print("PREFECT-ECS-STACK MIGRATION SKIPPED: the database is at revision " + ", ".join(unknown) + ", which this image does not know (a newer Prefect migrated it). Starting the services without migrating; to return to this version run prefect server database downgrade (README).", file=sys.stderr)',
  '    sys.exit(3)',
].join('\n');

/** Checks the revision (REVISION_CHECK, its $1), then upgrades; exit 3 from the check means "skip, logged". */
export const MIGRATE_SCRIPT = ['python -c "$1" && exec prefect server database upgrade -y', 'status=$?', '[ "$status" -eq 3 ] && exit 0', 'exit "$status"'].join('\n');

/**
 * HA: the database upgrade, once per deployment of the background-services service (one task).
 * Large databases need more than the default 10 s statement timeout to build indexes
 * (self-hosted.mdx:482-503). No container-level memory: on Fargate the task's is the limit, and
 * two containers each claiming all of it would exceed it.
 */
export function migrationContainer() {
  return {
    Name: MIGRATION_CONTAINER,
    Image: ref(Param.ServerImage),
    // It exits when done; the services container waits for its exit code 0.
    Essential: false,
    Command: ['/bin/sh', '-c', MIGRATE_SCRIPT, 'prefect-migrate', REVISION_CHECK],
    Environment: variables({ ...database(), PREFECT_SERVER_DATABASE_TIMEOUT: '600', ...runtime() }),
    Secrets: [databasePassword()],
    ...scratch,
    LogConfiguration: logs('migrate'),
  };
}

/**
 * HA: the background services (scheduler, late runs, triggers, event persister, ...) in one
 * process, started only after the migration container exited 0: "SUCCESS - ... requires that
 * the container exits with a zero status"
 * (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDependency.html). No
 * StartTimeout: ECS would give up on the dependency after it ("2-120 seconds"), and a migration
 * of a large database can take longer. It serves no HTTP, so it needs neither the auth string
 * (its in-process API client sends one only when it is set: 3.6.28:src/prefect/server/api/clients.py:44-48)
 * nor a port.
 */
export function backgroundServicesContainer() {
  return {
    Name: BACKGROUND_SERVICES_CONTAINER,
    Image: ref(Param.ServerImage),
    Essential: true,
    Command: withRedis(['prefect', 'server', 'services', 'start']),
    DependsOn: [{ ContainerName: MIGRATION_CONTAINER, Condition: 'SUCCESS' }],
    Environment: variables({ ...database(), PREFECT_SERVER_DATABASE_MIGRATE_ON_START: 'false', ...runtime(), ...redis() }),
    Secrets: [databasePassword(), cacheToken()],
    ...scratch,
    LogConfiguration: logs('services'),
  };
}
