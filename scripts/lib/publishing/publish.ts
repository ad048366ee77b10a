/**
 * Publishes templates for one-click launch: per region, the Lambda bundles (zipped, at
 * content-addressed keys) and the templates with their code locations rewritten to that
 * region's bucket (Lambda code must live in the stack's region), at a versioned and a `latest`
 * key, in the bucket `<prefix>-<region>`.
 */
import { CreateBucketCommand, HeadBucketCommand, HeadObjectCommand, PutObjectCommand, type BucketLocationConstraint, type S3Client } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import type { StackTemplate } from '../../../templates/core/template';
import { toJson } from '../../../templates/core/serialize';
import { PublishError } from '../errors';
import { isKnownRegion } from '../parameters/regions';

export interface PublishInput {
  readonly bucketPrefix: string;
  readonly regions: readonly string[];
  readonly version: string;
  readonly templates: readonly { readonly name: string; readonly template: StackTemplate }[];
  /** Zipped bundles by the folder name a template's CodeUri uses (e.g. "lambdas/scaler"). */
  readonly bundles: ReadonlyMap<string, Uint8Array>;
  readonly s3For: (region: string) => S3Client;
  readonly progress?: (line: string) => void;
}

export interface PublishedRegion {
  readonly region: string;
  readonly bucket: string;
  readonly codeKeys: Readonly<Record<string, string>>;
  readonly templates: readonly { readonly name: string; readonly versionedUrl: string; readonly latestUrl: string; readonly versionedKey: string; readonly latestKey: string }[];
}

const BUCKET_PREFIX = /^[a-z0-9][a-z0-9-]{1,40}$/;
const VERSION = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function validatePublishInput(input: Pick<PublishInput, 'bucketPrefix' | 'regions' | 'version'>): void {
  if (!BUCKET_PREFIX.test(input.bucketPrefix)) throw new PublishError(`--bucket-prefix must be 2-41 lowercase letters, digits or "-" (got ${JSON.stringify(input.bucketPrefix)})`);
  if (input.regions.length === 0) throw new PublishError('--regions needs at least one region, e.g. us-east-1,eu-west-1');
  for (const region of input.regions) {
    if (!isKnownRegion(region)) throw new PublishError(`--regions has ${JSON.stringify(region)}, which is not an AWS region (e.g. us-east-1)`);
  }
  const twice = input.regions.find((region, i) => input.regions.indexOf(region) !== i);
  if (twice) throw new PublishError(`--regions has ${twice} twice`);
  if (!VERSION.test(input.version) || input.version === 'latest') throw new PublishError(`--version must be a version label other than "latest" (got ${JSON.stringify(input.version)})`);
}

export const bucketName = (prefix: string, region: string) => `${prefix}-${region}`;

export function objectUrl(bucket: string, region: string, key: string): string {
  const domain = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  return `https://${bucket}.s3.${region}.${domain}/${key}`;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** The template with every local CodeUri pointing at the uploaded zip; the input is untouched. */
export function withCodeInS3(template: StackTemplate, bucket: string, codeKeys: Readonly<Record<string, string>>): StackTemplate {
  const copy = structuredClone(template);
  for (const [id, resource] of Object.entries(copy.Resources)) {
    if (resource.Type !== 'AWS::Serverless::Function') continue;
    const codeUri = resource.Properties?.CodeUri;
    if (typeof codeUri !== 'string' || codeUri.startsWith('s3://')) continue;
    const key = codeKeys[codeUri];
    if (!key) throw new PublishError(`${id} uses CodeUri ${codeUri}, but no bundle of that name was built: run npm run synth`);
    resource.Properties!.CodeUri = `s3://${bucket}/${key}`;
  }
  return copy;
}

async function ensureBucket(s3: S3Client, bucket: string, region: string): Promise<void> {
  try {
    await s3.send(new HeadBucketCommand({ Bucket: bucket }));
  } catch {
    await s3.send(
      new CreateBucketCommand({
        Bucket: bucket,
        ...(region === 'us-east-1' ? {} : { CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint } }),
      }),
    );
  }
}

export const versionedKey = (version: string, name: string) => `templates/${version}/${name}.template.json`;

/** The versioned template objects that exist already: republishing a version overwrites them. */
export async function existingVersions(input: Pick<PublishInput, 'bucketPrefix' | 'regions' | 'version' | 's3For'> & { readonly names: readonly string[] }): Promise<string[]> {
  const found: string[] = [];
  for (const region of input.regions) {
    const s3 = input.s3For(region);
    const bucket = bucketName(input.bucketPrefix, region);
    for (const name of input.names) {
      const key = versionedKey(input.version, name);
      try {
        await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
        found.push(objectUrl(bucket, region, key));
      } catch (error) {
        const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
        if (status !== 404) throw new PublishError(`cannot check s3://${bucket}/${key} before publishing: ${(error as Error).name} ${(error as Error).message}`.trim(), { cause: error });
      }
    }
  }
  return found;
}

export async function publish(input: PublishInput): Promise<PublishedRegion[]> {
  validatePublishInput(input);
  const progress = input.progress ?? (() => undefined);
  const results: PublishedRegion[] = [];
  for (const region of input.regions) {
    const s3 = input.s3For(region);
    const bucket = bucketName(input.bucketPrefix, region);
    progress(`${region}: bucket ${bucket}`);
    await ensureBucket(s3, bucket, region);
    const codeKeys: Record<string, string> = {};
    for (const [codeUri, zip] of input.bundles) {
      const key = `${codeUri}/${sha256(zip)}.zip`;
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: zip, ContentType: 'application/zip' }));
      codeKeys[codeUri] = key;
      progress(`${region}: uploaded ${key} (${zip.length.toLocaleString('en-US')} B)`);
    }
    const templates = [];
    for (const { name, template } of input.templates) {
      const body = toJson(withCodeInS3(template, bucket, codeKeys));
      const versioned = versionedKey(input.version, name);
      const latestKey = `templates/latest/${name}.template.json`;
      for (const key of [versioned, latestKey]) {
        await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'application/json' }));
      }
      progress(`${region}: uploaded ${versioned} and ${latestKey}`);
      templates.push({ name, versionedKey: versioned, latestKey, versionedUrl: objectUrl(bucket, region, versioned), latestUrl: objectUrl(bucket, region, latestKey) });
    }
    results.push({ region, bucket, codeKeys, templates });
  }
  return results;
}
