/**
 * The SAM resource types this project uses, defined on cloudform's ResourceBase (cloudform has
 * no SAM classes). Only the properties we set are typed; cfn-lint validates the rest.
 */
import { ResourceBase } from 'cloudform';
import type { CfnValue } from './cfn';

export interface ServerlessFunctionProperties {
  /** Folder of the bundle, relative to the template (build/); `sam deploy` uploads it. */
  CodeUri: string;
  Handler: string;
  Runtime: string;
  Architectures?: string[];
  MemorySize?: number;
  Timeout?: number;
  Description?: CfnValue;
  Role: CfnValue;
  ReservedConcurrentExecutions?: number;
  Environment?: { Variables: Record<string, CfnValue> };
  DeadLetterQueue?: { Type: 'SQS' | 'SNS'; TargetArn: CfnValue };
  EventInvokeConfig?: { MaximumRetryAttempts?: number; MaximumEventAgeInSeconds?: number };
  LoggingConfig?: { LogFormat?: 'JSON' | 'Text'; LogGroup?: CfnValue };
  VpcConfig?: { SubnetIds: CfnValue; SecurityGroupIds: CfnValue };
}

export class ServerlessFunction extends ResourceBase<ServerlessFunctionProperties> {
  constructor(properties: ServerlessFunctionProperties) {
    super('AWS::Serverless::Function', properties);
  }
}
