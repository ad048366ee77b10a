/**
 * The server's state: RDS PostgreSQL in the private subnets, encrypted, backed up, snapshotted
 * on delete. RDS generates the master password and keeps it in Secrets Manager, so it never
 * appears in the template.
 */
import { RDS } from 'cloudform';
import { getAtt, iff, keepOnDeleteAndReplace, ref, sub } from '../core/cfn';
import { Cond, Param, Res } from '../core/ids';
import type { TemplateFragment } from '../core/template';
import { DATABASE_NAME, DATABASE_PORT, DATABASE_USER, POSTGRES_VERSION } from './constants';
import { privateSubnetsValue } from './vpc';

/** The secret RDS keeps the master password in. */
export const databaseSecretArn = () => getAtt(Res.Database, 'MasterUserSecret.SecretArn');

export function buildDatabase(): TemplateFragment {
  return {
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
