/**
 * AWS regions, from the AWS SDK's own partition data (`@aws-sdk/core`, the endpoint table every
 * SDK client resolves against): a region is known when a partition lists it. A name that only
 * looks like a region ("us-east-9") is not one; "aws-global" pseudo-regions are not launch targets.
 */
import { partition } from '@aws-sdk/core/client';

export const isKnownRegion = (region: string): boolean => !region.endsWith('-global') && 'description' in partition(region);

/** The partition of a known region: aws, aws-cn, aws-us-gov ... */
export const partitionOf = (region: string): string => partition(region).name;

/** The account ID CloudFormation and ECR accept: exactly 12 digits. */
export const ACCOUNT_ID = /^\d{12}$/;

/** Pseudo parameters a template's Rules may refer to that are known from the region alone. */
export const regionPseudoParameters = (region: string): Record<string, string> => ({
  'AWS::Region': region,
  'AWS::Partition': partitionOf(region),
  'AWS::URLSuffix': partition(region).dnsSuffix,
});
