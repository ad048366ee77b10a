/**
 * The published self-hosted stack: a Prefect 3 server (RDS PostgreSQL, ALB, one Fargate task)
 * and the whole worker stack pointed at it, built from the same worker builders. The Lambdas run
 * in the VPC's private subnets because the API may be internal.
 */
import { mergeFragments, ref, stackTemplate, type StackTemplate } from '../cfn';
import type { WorkerContext } from '../context';
import { Res } from '../ids';
import { resolveWorkerStackOptions, type WorkerStackOptions } from '../options';
import { buildWorkerInterface, buildWorkerParameters } from '../parameters';
import { buildServer, serverApiUrl } from '../server';
import { serverRules } from '../serverParameters';
import { buildVpc, privateSubnetsValue, vpcIdValue } from '../vpc';
import { workerFragments } from './worker';

export function serverContext(): WorkerContext {
  return {
    connection: {
      apiUrl: serverApiUrl(),
      authMode: 'auth-string',
      secretArn: ref(Res.ServerAuthSecret),
      credentialVariable: 'PREFECT_API_AUTH_STRING',
    },
    network: { vpcId: vpcIdValue(), subnetIds: privateSubnetsValue(), assignPublicIp: 'DISABLED' },
    lambdaVpc: { subnetIds: privateSubnetsValue(), securityGroupIds: [ref(Res.LambdaSecurityGroup)] },
  };
}

export function buildServerStack(options: WorkerStackOptions = {}): StackTemplate {
  const resolved = resolveWorkerStackOptions(options);
  const merged = mergeFragments([
    buildWorkerParameters(resolved, 'server'),
    { Rules: serverRules() },
    buildVpc(),
    buildServer(),
    ...workerFragments(resolved, serverContext()),
  ]);
  // The work pool is written through the server's API: the server must be serving first.
  Object.assign(merged.Resources[Res.WorkPool]!, { DependsOn: [Res.ServerService] });
  return stackTemplate(
    'prefect-ecs-stack server: a self-hosted Prefect 3 server (RDS PostgreSQL, ALB) and scale-to-zero ECS workers pointed at it, least-privilege IAM.',
    buildWorkerInterface(resolved, 'server'),
    merged,
  );
}
