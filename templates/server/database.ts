/**
 * The server's state: RDS PostgreSQL in the private subnets, encrypted, backed up, snapshotted
 * on delete. RDS generates the master password and keeps it in Secrets Manager, so it never
 * appears in the template.
 */
import { RDS } from 'cloudform';
import { equals, getAtt, iff, keepOnDeleteAndReplace, or, ref, sub, type CfnValue } from '../core/cfn';
import { Cond, Param, Res } from '../core/ids';
import type { TemplateFragment } from '../core/template';
import { DATABASE_NAME, DATABASE_PORT, DATABASE_USER, POSTGRES_VERSION } from './constants';
import { privateSubnetsValue } from './vpc';

/** The secret RDS keeps the master password in. */
export const databaseSecretArn = () => getAtt(Res.Database, 'MasterUserSecret.SecretArn');

export function buildDatabase(): TemplateFragment {
  return {
    Conditions: databaseMemoryConditions(),
    Resources: {
      [Res.DatabaseSubnetGroup]: new RDS.DBSubnetGroup({ DBSubnetGroupDescription: sub('Private subnets of the ${AWS::StackName} database'), SubnetIds: privateSubnetsValue() }),
      [Res.Database]: keepOnDeleteAndReplace(
        new RDS.DBInstance({
          Engine: 'postgres',
          EngineVersion: POSTGRES_VERSION,
          DBInstanceClass: ref(Param.DbInstanceClass),
          AllocatedStorage: ref(Param.DbAllocatedStorage),
          StorageType: 'gp3',
          StorageEncrypted: true,
          DBName: DATABASE_NAME,
          MasterUsername: DATABASE_USER,
          Port: String(DATABASE_PORT),
          PubliclyAccessible: false,
          // DbMultiAz: true, false, or auto = Multi-AZ with several server replicas (highAvailability.ts).
          MultiAZ: iff(Cond.DatabaseMultiAz, true, false),
          BackupRetentionPeriod: ref(Param.DbBackupRetentionDays),
          DeletionProtection: true,
          CopyTagsToSnapshot: true,
          AutoMinorVersionUpgrade: true,
          EnableCloudwatchLogsExports: ['postgresql', 'upgrade'],
          EnableIAMDatabaseAuthentication: true,
          DBSubnetGroupName: ref(Res.DatabaseSubnetGroup),
          VPCSecurityGroups: [ref(Res.DatabaseSecurityGroup)],
          // RDS generates the master password, keeps it in Secrets Manager and rotates it.
          ...({ ManageMasterUserPassword: true } as object),
        }),
        'Snapshot',
      ),
    },
  };
}

/**
 * The database's connection budget, so autoscaling cannot open more connections than the
 * instance accepts. RDS for PostgreSQL sets max_connections to
 * `LEAST({DBInstanceClassMemory/9531392},5000)`
 * (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/CHAP_Limits.html#RDS_Limits.MaxConnections).
 * DBInstanceClassMemory is the class's memory less what the OS and RDS keep; we take 384 MiB less
 * (an assumption, below the values users report from `show max_connections`: 198, 413, 856 for
 * 2, 4, 8 GiB classes) and keep 5 connections aside for superuser sessions (RDS reserves some) and
 * yours. Memory per class: https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.DBInstanceClass.Summary.html.
 */
export const DB_CLASS_MEMORY_GIB: Readonly<Record<string, number>> = {
  'db.t4g.micro': 1,
  'db.t4g.small': 2,
  'db.t4g.medium': 4,
  'db.t4g.large': 8,
  'db.m7g.large': 8,
  'db.m7g.xlarge': 16,
  'db.r7g.large': 16,
};
const OS_RESERVED_MIB = 384;
const SUPERUSER_HEADROOM = 5;

/** max_connections of a class by RDS's formula, on the assumed DBInstanceClassMemory. */
export const maxConnections = (memoryGib: number) => Math.min(Math.floor(((memoryGib * 1024 - OS_RESERVED_MIB) * 2 ** 20) / 9531392), 5000);

/**
 * Connections one Prefect process may hold: SQLAlchemy's pool_size plus max_overflow, per engine
 * (one engine per event loop: 3.6.28:src/prefect/server/database/configurations.py:228-236).
 * API tasks get a smaller pool (PREFECT_SERVER_DATABASE_SQLALCHEMY_POOL_SIZE/_MAX_OVERFLOW,
 * 3.6.28:src/prefect/settings/models/server/database.py:114-142, containers.ts) because they
 * are many; the background services and the migration keep Prefect's defaults, 5 + 10.
 */
export const API_POOL = { size: 3, overflow: 2 } as const;
export const PREFECT_DEFAULT_POOL = { size: 5, overflow: 10 } as const;
const perApiTask = API_POOL.size + API_POOL.overflow;
const perDefaultProcess = PREFECT_DEFAULT_POOL.size + PREFECT_DEFAULT_POOL.overflow;

/**
 * The most connections HA mode can hold with `apiTasks` API tasks. CloudFormation rolls the
 * background services first and the API after they are stable (highAvailability.ts), so the two
 * rollouts do not overlap: while the services roll, the old services task, the migration or new
 * services task (one after the other) and the API tasks; while the API rolls (200%), twice the
 * API tasks and the services.
 */
export const peakConnections = (apiTasks: number) => Math.max(2 * perDefaultProcess + apiTasks * perApiTask, 2 * apiTasks * perApiTask + perDefaultProcess);

/** The most API tasks (of 1..maxAllowed) whose peak fits a class's budget. */
export function maxApiTasksFor(memoryGib: number, maxAllowed: number): number {
  const budget = maxConnections(memoryGib) - SUPERUSER_HEADROOM;
  let tasks = 0;
  while (tasks < maxAllowed && peakConnections(tasks + 1) <= budget) tasks += 1;
  return tasks;
}

/** The connections alarm's threshold: 80% of the class's max_connections. */
export const connectionsAlarmThreshold = (memoryGib: number) => Math.floor(0.8 * maxConnections(memoryGib));

/** A Condition per memory size below the largest, so a value can follow DbInstanceClass (Fn::If). */
const MEMORY_CONDITIONS = [
  [1, Cond.DatabaseMemory1GiB],
  [2, Cond.DatabaseMemory2GiB],
  [4, Cond.DatabaseMemory4GiB],
  [8, Cond.DatabaseMemory8GiB],
] as const;
const LARGEST_MEMORY_GIB = Math.max(...Object.values(DB_CLASS_MEMORY_GIB));

function databaseMemoryConditions(): NonNullable<TemplateFragment['Conditions']> {
  const classes = (gib: number) => Object.keys(DB_CLASS_MEMORY_GIB).filter((c) => DB_CLASS_MEMORY_GIB[c] === gib).map((c) => equals(ref(Param.DbInstanceClass), c));
  return Object.fromEntries(MEMORY_CONDITIONS.map(([gib, cond]) => {
    const matches = classes(gib);
    return [cond, matches.length === 1 ? matches[0] : or(...matches)];
  }));
}

/** A value per DbInstanceClass memory size, from the largest class's value upwards through Fn::If. */
export const byDatabaseMemory = (value: (memoryGib: number) => CfnValue): CfnValue =>
  MEMORY_CONDITIONS.reduceRight<CfnValue>((otherwise, [gib, cond]) => iff(cond, value(gib), otherwise), value(LARGEST_MEMORY_GIB));
