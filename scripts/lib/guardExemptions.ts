/**
 * Every Control Tower rule this project does not meet, per resource, with the reason. The
 * validator fails on any finding not listed here, and on an exemption that no longer matches
 * anything (so the list cannot silently rot).
 */
export interface GuardExemption {
  /** cfn-guard rule name (as in the rule file). */
  readonly rule: string;
  /** Logical IDs the exemption covers. */
  readonly resources: readonly string[];
  readonly reason: string;
}

export const GUARD_EXEMPTIONS: readonly GuardExemption[] = [
  {
    rule: 'ecs_task_definition_nonroot_user_check',
    resources: ['WorkerTaskDefinition'],
    reason:
      'CT.ECS.PR.3: the upstream prefect-aws image runs as root and has no other user; forcing a UID breaks it. The container has a read-only root filesystem and no inbound network instead.',
  },
  {
    rule: 'ecs_task_definition_memory_hard_limit_check',
    resources: ['WorkerTaskDefinition'],
    reason:
      'CT.ECS.PR.7: on Fargate the task-level Memory (from the WorkerSize parameter) is the hard limit; a container literal would have to repeat a parameter value, which the rule cannot read.',
  },
  {
    rule: 'ecs_service_assign_public_ip_disabled_check',
    resources: ['WorkerService'],
    reason:
      'CT.ECS.PR.9: AssignPublicIp is the AssignPublicIp parameter (default DISABLED); ENABLED exists for public subnets without NAT. The security group still admits no inbound traffic.',
  },
  {
    rule: 'cloudwatch_log_group_retention_period_check',
    resources: ['WorkerLogGroup', 'FlowRunLogGroup', 'ScalerLogGroup', 'WorkPoolLogGroup', 'RegistrarLogGroup'],
    reason: 'CT.CLOUDWATCH.PR.2: retention is the LogRetentionDays parameter (default 30 days, up to 10 years), a cost choice left to the user.',
  },
  {
    rule: 'cloudwatch_log_group_encrypted_check',
    resources: ['WorkerLogGroup', 'FlowRunLogGroup', 'ScalerLogGroup', 'WorkPoolLogGroup', 'RegistrarLogGroup'],
    reason:
      'CT.CLOUDWATCH.PR.3: log groups are encrypted at rest by CloudWatch Logs with service-owned keys; a customer-managed KMS key adds cost and a key policy to keep, and no secret is ever logged.',
  },
  {
    rule: 'lambda_inside_vpc_check',
    resources: ['ScalerFunction', 'WorkPoolFunction', 'RegistrarFunction'],
    reason:
      'CT.LAMBDA.PR.3: the functions reach Prefect Cloud and the ECS and Secrets Manager APIs over HTTPS and nothing in a VPC; placing them in one would need a NAT gateway or four VPC endpoints for no protection gained.',
  },
  {
    rule: 'lambda_function_url_auth_check',
    resources: ['ScalerFunctionUrl'],
    reason:
      'CT.LAMBDA.PR.5: the optional webhook is called by Prefect Automations, which cannot sign SigV4; every request must carry a 48-character token from Secrets Manager, compared in constant time, and a rejected request reaches no AWS API.',
  },
  {
    rule: 'lambda_function_public_access_prohibited_check',
    resources: ['ScalerFunctionUrlPermission', 'ScalerFunctionUrlInvokePermission'],
    reason:
      'CT.LAMBDA.PR.2: the two permissions a NONE-auth function URL requires (InvokeFunction is limited to URL calls); only created when EnableScalerWebhook=true, and the token check above guards the function.',
  },
  {
    rule: 'ecr_private_tag_immutability_enabled_check',
    resources: ['EcrRepository'],
    reason:
      'CT.ECR.PR.2: tag mutability is the EcrImageTagMutability parameter: teams that push a moving tag such as "main" need MUTABLE; the registrar pins deployments to the digest either way.',
  },
  {
    rule: 'ecr_private_lifecycle_policy_configured_check',
    resources: ['EcrRepository'],
    reason:
      'CT.ECR.PR.3: the repository has a lifecycle policy (keep the newest EcrKeepImages images); its text is an Fn::Sub of that parameter, which the rule cannot read.',
  },
];
