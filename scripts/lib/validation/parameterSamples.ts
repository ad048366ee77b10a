/**
 * A realistic value for every parameter that has no Default, and the non-default values the
 * parameter matrix may try, so that each Condition can be taken both ways. Every sample must
 * satisfy its parameter's AllowedPattern or AllowedValues (a test checks this). A new Condition
 * on a parameter without a sample here makes the matrix test fail, naming the parameter.
 */
import type { ParamId } from '../../../templates/core/ids';

export const PARAMETER_SAMPLES: Readonly<Partial<Record<ParamId, readonly string[]>>> = {
  PrefectApiUrl: ['https://api.prefect.cloud/api/accounts/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b/workspaces/1a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d'],
  PrefectAuthSecretArn: ['arn:aws:secretsmanager:us-east-1:123456789012:secret:prefect-api-key-AbCdEf'],
  PrefectAuthValue: ['pnu_sample0123456789abcdef'],
  VpcId: ['vpc-0123456789abcdef0'],
  SubnetIds: ['subnet-0123456789abcdef0,subnet-0fedcba9876543210'],
  ExistingClusterName: ['shared-cluster'],
  FlowRunManagedPolicyArns: ['arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess,arn:aws:iam::123456789012:policy/flows'],
  AlarmEmail: ['ops@example.com'],
  WatchedRepositories: ['flows/etl,flows/reports'],
  ManifestParameterName: ['/prefect/manifest'],
  EcrRepositoryName: ['flows/new'],
  PrivateSubnetIds: ['subnet-0123456789abcdef0,subnet-0fedcba9876543210'],
  CertificateArn: ['arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b'],
  ServerDomainName: ['prefect.example.com'],
  HostedZoneId: ['Z0123456789ABCDEFGHIJ'],
  // High availability (2, 3 API tasks) and a maximum that the Rule holds ServerReplicas to.
  ServerReplicas: ['2', '3'],
  ServerMaxReplicas: ['2'],
  // A class of each memory size the DatabaseMemory* Conditions tell apart (templates/server/database.ts).
  DbInstanceClass: ['db.t4g.small', 'db.t4g.medium', 'db.t4g.large'],
};

/**
 * Parameters no Condition reads that the matrix should still vary, with why. None at present:
 * DbMultiAz, varied here for the engine's RDS checks until issue 14, is read by the
 * DatabaseMultiAz Condition now.
 */
export const ALSO_VARIED: readonly ParamId[] = [];
