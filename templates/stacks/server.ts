/**
 * The published self-hosted stack: a Prefect 3 server (RDS PostgreSQL, ALB, one Fargate task,
 * or with ServerReplicas >= 2 autoscaled API tasks, a background-services task and ElastiCache
 * for Valkey) and the whole worker stack pointed at it, built from the same worker builders. The
 * Lambdas run in the VPC's private subnets because the API may be internal.
 */
import { ref } from '../core/cfn';
import { Res } from '../core/ids';
import { mergeFragments, stackTemplate, type StackTemplate } from '../core/template';
import { buildParameterInterface, buildParameters } from '../parameters/buildParameters';
import { resolveWorkerStackOptions, type WorkerStackOptions } from '../parameters/options';
import { buildServerAlarms } from '../server/alarms';
import { buildCache } from '../server/cache';
import { buildDatabase } from '../server/database';
import { buildHighAvailability } from '../server/highAvailability';
import { buildLoadBalancer, serverApiUrl } from '../server/loadBalancer';
import { buildServerOutputs } from '../server/outputs';
import { buildApiReadiness } from '../server/readiness';
import { buildServerSecurityGroups } from '../server/securityGroups';
import { buildServerService } from '../server/service';
import { buildVpc, privateSubnetsValue, vpcIdValue } from '../server/vpc';
import { withAlarmTopicPolicy } from '../worker/alarmTopic';
import { CREDENTIAL_VARIABLE, type WorkerContext } from '../worker/context';
import { workerFragments } from './worker';

export function serverContext(): WorkerContext {
  return {
    connection: {
      apiUrl: serverApiUrl(),
      authMode: 'auth-string',
      secretArn: ref(Res.ServerAuthSecret),
      credentialVariable: CREDENTIAL_VARIABLE['auth-string'],
      secretOutput: { value: ref(Res.ServerAuthSecret) },
    },
    // Service, listeners, DNS record and ingress: templates/server/readiness.ts.
    apiReadyDependsOn: [Res.PrefectApiReady],
    network: { vpcId: vpcIdValue(), subnetIds: privateSubnetsValue(), assignPublicIp: 'DISABLED' },
    lambdaVpc: { subnetIds: privateSubnetsValue(), securityGroupIds: [ref(Res.LambdaSecurityGroup)] },
  };
}

export function buildServerStack(options: WorkerStackOptions = {}): StackTemplate {
  const resolved = resolveWorkerStackOptions(options);
  const merged = mergeFragments(withAlarmTopicPolicy([
    buildParameters(resolved, 'server'),
    buildVpc(),
    buildServerSecurityGroups(),
    buildDatabase(),
    buildLoadBalancer(),
    buildServerService(),
    buildHighAvailability(),
    buildCache(),
    buildApiReadiness(),
    buildServerAlarms(),
    buildServerOutputs(),
    ...workerFragments(resolved, serverContext()),
  ]));
  return stackTemplate(
    'prefect-ecs-stack server: a self-hosted Prefect 3 server (RDS PostgreSQL, ALB; with ServerReplicas >= 2 autoscaled API tasks and ElastiCache for Valkey) and scale-to-zero ECS workers pointed at it, least-privilege IAM.',
    buildParameterInterface(resolved, 'server'),
    merged,
  );
}
