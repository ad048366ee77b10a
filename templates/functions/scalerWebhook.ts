/**
 * The optional webhook (EnableScalerWebhook): a function of its own behind a function URL,
 * checked by a generated token (Prefect cannot sign SigV4). It only puts an "evaluate now"
 * message on the scaler's trigger queue, so its requests never take the scaler's turn; its
 * reserved concurrency bounds what a flood of requests can cost the account (the excess gets
 * 429): a URL open to the internet must not be able to take the account's whole concurrency.
 * That reservation is the only one the scaler needs (README "Troubleshooting" has the totals):
 * the scaler itself reserves none, its FIFO message group already serialises it.
 */
import { Lambda, SecretsManager } from 'cloudform';
import { ScalerWebhookEnv } from '../../lambdas/scaler-webhook/env';
import { getAtt, keepOnDeleteAndReplace, ref, sub } from '../core/cfn';
import { Cond, Res } from '../core/ids';
import type { TemplateFragment } from '../core/template';
import { allow } from '../worker/iam';
import { stackFunction, type EnvironmentOf } from './lambda';

/** Concurrent webhook requests served; more get 429 from the function URL. */
export const WEBHOOK_CONCURRENCY = 2;

/** cloudform's Lambda.Permission predates InvokedViaFunctionUrl (2025); typed here. */
type PermissionProperties = ConstructorParameters<typeof Lambda.Permission>[0] & { InvokedViaFunctionUrl?: boolean };
const permission = (properties: PermissionProperties) => new Lambda.Permission(properties);

export function buildScalerWebhook(): TemplateFragment {
  const environment: EnvironmentOf<typeof ScalerWebhookEnv> = {
    [ScalerWebhookEnv.TriggerQueueUrl]: ref(Res.ScalerTriggerQueue),
    [ScalerWebhookEnv.WebhookTokenSecretArn]: ref(Res.WebhookTokenSecret),
  };
  return {
    Resources: {
      // Deleted with the stack, like the function URL it guards.
      [Res.WebhookTokenSecret]: keepOnDeleteAndReplace(
        new SecretsManager.Secret({
          Description: sub('Token a Prefect Automation sends to the scaler webhook of ${AWS::StackName}'),
          GenerateSecretString: { PasswordLength: 48, ExcludePunctuation: true },
        }).condition(Cond.EnableWebhook),
        'Delete',
      ),
      ...stackFunction({
        logGroup: Res.ScalerWebhookLogGroup,
        role: Res.ScalerWebhookRole,
        fn: Res.ScalerWebhookFunction,
        codeUri: 'lambdas/scaler-webhook',
        roleDescription: sub('Lets the scaler webhook check its token and queue an evaluation (${AWS::StackName})'),
        description: sub('Webhook that asks the scaler of ${AWS::StackName} to evaluate now'),
        statements: [
          allow('ReadWebhookToken', ['secretsmanager:GetSecretValue'], ref(Res.WebhookTokenSecret)),
          allow('QueueEvaluation', ['sqs:SendMessage'], getAtt(Res.ScalerTriggerQueue, 'Arn')),
        ],
        environment,
        timeoutSeconds: 10,
        asyncRetry: { MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 60 },
        reservedConcurrency: WEBHOOK_CONCURRENCY,
        condition: Cond.EnableWebhook,
        // Never in the server stack's VPC: it talks only to SQS and Secrets Manager, never to
        // Prefect, so a VPC would add interface cold starts and a need for endpoints or NAT.
      }),
      [Res.ScalerFunctionUrl]: new Lambda.Url({ TargetFunctionArn: ref(Res.ScalerWebhookFunction), AuthType: 'NONE' }).condition(Cond.EnableWebhook),
      [Res.ScalerFunctionUrlPermission]: new Lambda.Permission({
        Action: 'lambda:InvokeFunctionUrl',
        FunctionName: ref(Res.ScalerWebhookFunction),
        Principal: '*',
        FunctionUrlAuthType: 'NONE',
      }).condition(Cond.EnableWebhook),
      // Function URLs created since October 2025 also need lambda:InvokeFunction, limited to URL calls.
      [Res.ScalerFunctionUrlInvokePermission]: permission({
        Action: 'lambda:InvokeFunction',
        FunctionName: ref(Res.ScalerWebhookFunction),
        Principal: '*',
        InvokedViaFunctionUrl: true,
      }).condition(Cond.EnableWebhook),
    },
  };
}
