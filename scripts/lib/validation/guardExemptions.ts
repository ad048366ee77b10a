/**
 * Every Control Tower rule this project does not meet, per resource, with the reason. The
 * validator fails on any finding not listed here, and on an exemption that no longer matches
 * anything (so the list cannot silently rot).
 */
/** One finding a validator may report and this project accepts: the rule, where, and why. */
export interface Exemption {
  /** The validator's rule name or ID (cfn-guard rule name, engine rule ID, cdk-nag rule ID). */
  readonly rule: string;
  /** Logical IDs (resources, or for CloudFormation Validate also parameters and outputs) it covers. */
  readonly resources: readonly string[];
  readonly reason: string;
}
export type GuardExemption = Exemption;

export const GUARD_EXEMPTIONS: readonly GuardExemption[] = [
  {
    rule: 'ecs_task_definition_nonroot_user_check',
    resources: ['WorkerTaskDefinition', 'ServerTaskDefinition', 'ServerApiTaskDefinition', 'BackgroundServicesTaskDefinition'],
    reason:
      'CT.ECS.PR.3: the upstream prefect and prefect-aws images run as root and has no other user; forcing a UID breaks it. The container has a read-only root filesystem and no inbound network instead.',
  },
  {
    rule: 'ecs_task_definition_memory_hard_limit_check',
    resources: ['WorkerTaskDefinition', 'ServerTaskDefinition', 'ServerApiTaskDefinition', 'BackgroundServicesTaskDefinition'],
    reason:
      'CT.ECS.PR.7: on Fargate the task-level Memory (from the WorkerSize/ServerSize parameter) is the hard limit; a container literal would have to repeat a parameter value, which the rule cannot read. The background-services task\'s two containers (migration, then services) have none: each claiming the whole task would exceed it.',
  },
  {
    rule: 'ecs_service_assign_public_ip_disabled_check',
    resources: ['WorkerService'],
    reason:
      'CT.ECS.PR.9: AssignPublicIp is the AssignPublicIp parameter (default DISABLED); ENABLED exists for public subnets without NAT. The security group still admits no inbound traffic.',
  },
  {
    rule: 'sqs_dlq_check',
    resources: ['LambdaDeadLetterQueue'],
    reason:
      'CT.SQS.PR.1 counts a queue as a dead-letter queue only when RedriveAllowPolicy is allowAll or byQueue. This one receives failed Lambda invocations and undeliverable EventBridge events by SendMessage, never by SQS redrive, so it says denyAll: no SQS queue may redrive into it. It has an arrival alarm.',
  },
  {
    rule: 'cloudwatch_log_group_retention_period_check',
    resources: ['WorkerLogGroup', 'FlowRunLogGroup', 'ScalerLogGroup', 'ScalerWebhookLogGroup', 'WorkPoolLogGroup', 'RegistrarLogGroup', 'ServerLogGroup'],
    reason: 'CT.CLOUDWATCH.PR.2: retention is the LogRetentionDays parameter (default 30 days, up to 10 years), a cost choice left to the user.',
  },
  {
    rule: 'cloudwatch_log_group_encrypted_check',
    resources: ['WorkerLogGroup', 'FlowRunLogGroup', 'ScalerLogGroup', 'ScalerWebhookLogGroup', 'WorkPoolLogGroup', 'RegistrarLogGroup', 'ServerLogGroup'],
    reason:
      'CT.CLOUDWATCH.PR.3: log groups are encrypted at rest by CloudWatch Logs with service-owned keys; a customer-managed KMS key adds cost and a key policy to keep, and no secret is ever logged.',
  },
  {
    rule: 'lambda_inside_vpc_check',
    resources: ['ScalerFunction', 'ScalerWebhookFunction', 'WorkPoolFunction', 'RegistrarFunction'],
    reason:
      'CT.LAMBDA.PR.3: the functions reach Prefect Cloud and the ECS and Secrets Manager APIs over HTTPS and nothing in a VPC; placing them in one would need a NAT gateway or four VPC endpoints for no protection gained.',
  },
  {
    rule: 'lambda_function_url_auth_check',
    resources: ['ScalerFunctionUrl'],
    reason:
      'CT.LAMBDA.PR.5: the optional webhook is called by Prefect Automations, which cannot sign SigV4; every request must carry a 48-character token from Secrets Manager, compared in constant time, and a rejected request reaches no AWS API. An accepted one only queues an evaluation.',
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
  {
    rule: 'alb_http_to_https_redirection_check',
    resources: ['HttpListener'],
    reason:
      'CT.ELB.PR.1: HTTPS needs a certificate, the CertificateArn parameter; with one, the HTTP listener redirects to HTTPS (Fn::If the rule cannot read). Without one the load balancer is internal by default.',
  },
  {
    rule: 'elbv2_acm_certificate_required_check',
    resources: ['HttpsListener'],
    reason: 'CT.ELB.PR.2: the HTTPS listener uses the ACM certificate of the CertificateArn parameter (pattern-checked as an ACM ARN), which the rule cannot read.',
  },
  {
    rule: 'elbv2_deletion_protection_enabled_check',
    resources: ['LoadBalancer'],
    reason: 'CT.ELB.PR.4: the load balancer holds no state and is recreated by the stack; the database, which does, has deletion protection and a final snapshot.',
  },
  {
    rule: 'elbv2_logging_enabled_check',
    resources: ['LoadBalancer'],
    reason: 'CT.ELB.PR.5: access logs need an S3 bucket with a bucket policy for the regional ELB account; left to the operator (server logs and ALB metrics/alarms are on).',
  },
  {
    rule: 'rds_instance_backup_enabled_check',
    resources: ['Database'],
    reason: 'Backups: BackupRetentionPeriod is the DbBackupRetentionDays parameter, 1 to 35 days (default 7): backups are always on, the rule cannot read a parameter.',
  },
  {
    rule: 'rds_instance_multi_az_support_check',
    resources: ['Database'],
    reason: 'Multi-AZ is the DbMultiAz parameter (it doubles the database cost); a cost choice left to the user.',
  },
  {
    rule: 'rds_instance_enhanced_monitoring_enabled_check',
    resources: ['Database'],
    reason: 'Enhanced monitoring adds a monitoring role and log cost for a small, mostly idle database; CloudWatch CPU, storage and connection alarms are in place.',
  },
  {
    rule: 'rds_instance_no_default_ports_check',
    resources: ['Database'],
    reason: 'The port is set explicitly to 5432; the database accepts connections only from the Prefect server security group in private subnets, so a non-default port hides nothing.',
  },
  {
    rule: 'rds_storage_encrypted_kms_key_check',
    resources: ['Database'],
    reason: 'Storage is encrypted with the AWS-managed RDS key; a customer-managed key adds cost and a key policy to keep.',
  },
];
