/**
 * Security groups for the worker and for its flow-run tasks: egress only. Neither accepts
 * inbound traffic (the worker's health endpoint listens on localhost inside the task).
 */
import { EC2 } from 'cloudform';
import { sub } from '../core/cfn';
import type { TemplateFragment } from '../core/template';
import type { WorkerContext } from './context';
import { Res } from '../core/ids';

const egressOnly = (what: string, vpcId: WorkerContext['network']['vpcId']) =>
  new EC2.SecurityGroup({
    // GroupDescription is replacement-only: changing it replaces the group, and the old one cannot
    // be deleted while running tasks use it. cdk-nag's EC27 cannot read the Fn::Sub (nagExemptions.ts).
    GroupDescription: sub(`${what} of \${AWS::StackName}: no inbound, outbound to the Prefect API, AWS APIs and image registries`),
    VpcId: vpcId,
    SecurityGroupEgress: [{ IpProtocol: '-1', CidrIp: '0.0.0.0/0', Description: 'Prefect API, AWS APIs, image registries' }],
  });

export function buildSecurityGroups(ctx: WorkerContext): TemplateFragment {
  return {
    Resources: {
      [Res.WorkerSecurityGroup]: egressOnly('Prefect worker', ctx.network.vpcId),
      [Res.FlowRunSecurityGroup]: egressOnly('Prefect flow runs', ctx.network.vpcId),
    },
  };
}
