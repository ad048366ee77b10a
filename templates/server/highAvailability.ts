/**
 * The server's high-availability mode (ServerReplicas >= 2) around the API service of service.ts:
 * the Conditions every server builder branches on, the background-services service that also
 * migrates the database, and the API's autoscaling on the load balancer's requests per task.
 *
 * Migrations run once per deployment, in the one task of the background-services service: a
 * non-essential container runs `prefect server database upgrade -y` and the services container
 * starts after it exited 0 (containers.ts). The API service refers to this service (its
 * "migrated-by" tag), so CloudFormation creates or updates the background services first and waits
 * until their deployment is stable (the migration done) before it rolls the API. The choices this
 * beats: an upgrade in each API task would race (no cross-process lock in Prefect's migrations);
 * a custom resource that runs a one-off task needs a Lambda, whose 15 minutes a large migration
 * can exceed ("30+ minutes", 3.6.28:docs/v3/advanced/self-hosted.mdx:502-504); a separate
 * migration service would restart its exited task forever.
 */
import { ApplicationAutoScaling, ECS } from 'cloudform';
import { and, conditionRef, equals, getAtt, iff, not, or, ref, sub } from '../core/cfn';
import { Cond, Param, Res } from '../core/ids';
import type { TemplateFragment } from '../core/template';
import { clusterNameValue } from '../worker/ecs';
import { backgroundServicesContainer, migrationContainer } from './containers';
import { ROLLING, serverTaskDefinition, serverTaskNetwork } from './service';

/**
 * ServerReplicas 1 is the single task; 2 or more is HA. DbMultiAz "auto" follows the mode, so a
 * default can depend on another parameter: a tri-state parameter and a Condition, read through
 * Fn::If where the database takes it (database.ts).
 */
export function highAvailabilityConditions(): NonNullable<TemplateFragment['Conditions']> {
  const dbMultiAz = ref(Param.DbMultiAz);
  return {
    [Cond.HighAvailability]: not(equals(ref(Param.ServerReplicas), '1')),
    [Cond.SingleServer]: equals(ref(Param.ServerReplicas), '1'),
    [Cond.DatabaseMultiAz]: or(equals(dbMultiAz, 'true'), and(equals(dbMultiAz, 'auto'), conditionRef(Cond.HighAvailability))),
  };
}

export function buildHighAvailability(): TemplateFragment {
  return {
    Conditions: highAvailabilityConditions(),
    Resources: {
      [Res.BackgroundServicesTaskDefinition]: serverTaskDefinition([migrationContainer(), backgroundServicesContainer()]).condition(Cond.HighAvailability),
      [Res.BackgroundServicesService]: new ECS.Service({
        Cluster: clusterNameValue(),
        TaskDefinition: ref(Res.BackgroundServicesTaskDefinition),
        LaunchType: 'FARGATE',
        PlatformVersion: 'LATEST',
        // One process, as Prefect recommends to start with (self-hosted.mdx:214-255). During a
        // deployment the old and the new task overlap briefly, which Docket on Redis makes safe:
        // "periodic work ... runs exactly once per interval even when multiple processes are running".
        DesiredCount: 1,
        DeploymentConfiguration: ROLLING,
        NetworkConfiguration: serverTaskNetwork(),
        PropagateTags: 'SERVICE',
        // One task: nothing to rebalance across zones.
        ...({ AvailabilityZoneRebalancing: 'DISABLED' } as object),
      })
        .condition(Cond.HighAvailability)
        // Its first container migrates, so the database and cache must admit the task before it
        // starts: ordered by the template, not by RDS and ElastiCache taking longer than a rule.
        // Both carry a Condition this service shares or none, so DependsOn is legal.
        .dependsOn([Res.CacheIngressFromServer, Res.DatabaseIngressFromServer]),
      // "The resource type is service and the unique identifier is the cluster name and service
      // name"; no RoleARN: Application Auto Scaling uses its ECS service-linked role
      // (https://docs.aws.amazon.com/autoscaling/application/userguide/services-that-can-integrate-ecs.html).
      // Registering the target "changes the resource's current capacity to a value that is inside
      // of this range" (https://docs.aws.amazon.com/autoscaling/application/APIReference/API_RegisterScalableTarget.html):
      // that is how the service, created with one task, reaches ServerReplicas. The target exists in
      // both modes, pinned to 1..1 with one task: an update from HA back to one task then registers
      // it again with 1..1 ("anytime a scaling policy is invoked or the RegisterScalableTarget API
      // is called, Application Auto Scaling ... compares it to the minimum and maximum capacity. If
      // it falls outside of the minimum-maximum range, then the capacity is updated to comply",
      // https://docs.aws.amazon.com/autoscaling/application/userguide/getting-started.html), which
      // takes back a task the old policy may have added while the service was updating. Were the
      // target dropped with the mode, CloudFormation would delete it only in the cleanup phase, after
      // the service update, and a second all-in-one task would stay.
      [Res.ServerApiScalableTarget]: new ApplicationAutoScaling.ScalableTarget({
        ServiceNamespace: 'ecs',
        ScalableDimension: 'ecs:service:DesiredCount',
        ResourceId: sub('service/${Cluster}/${Service}', { Cluster: clusterNameValue(), Service: getAtt(Res.ServerService, 'Name') }),
        // ServerReplicas is 1 with one task; a Ref, not an Fn::If with a literal 1, so validators
        // see a parameter CloudFormation converts rather than a string in an integer (W9003).
        MinCapacity: ref(Param.ServerReplicas),
        MaxCapacity: iff(Cond.HighAvailability, ref(Param.ServerMaxReplicas), ref(Param.ServerReplicas)) as never,
      }),
      [Res.ServerApiScalingPolicy]: new ApplicationAutoScaling.ScalingPolicy({
        PolicyName: 'prefect-api-requests-per-task',
        PolicyType: 'TargetTrackingScaling',
        ScalingTargetId: ref(Res.ServerApiScalableTarget),
        TargetTrackingScalingPolicyConfiguration: {
          TargetValue: ref(Param.ServerRequestsPerTask),
          // Out within a minute or two of a burst; in slowly, so a lull between schedules does not flap.
          ScaleOutCooldown: 60,
          ScaleInCooldown: 300,
          // "You create the resource label by appending the final portion of the load balancer ARN
          // and the final portion of the target group ARN into a single value, separated by a
          // forward slash" (https://docs.aws.amazon.com/autoscaling/application/APIReference/API_PredefinedMetricSpecification.html):
          // LoadBalancerFullName is app/<name>/<id>, TargetGroupFullName targetgroup/<name>/<id>.
          PredefinedMetricSpecification: {
            PredefinedMetricType: 'ALBRequestCountPerTarget',
            ResourceLabel: sub('${LoadBalancer.LoadBalancerFullName}/${ServerTargetGroup.TargetGroupFullName}'),
          },
        },
      }).condition(Cond.HighAvailability),
    },
  };
}
