/** Puts the bundled Lambdas where the SAM-expanded template expects them in moto's S3. */
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleLambdas } from '../../scripts/lib/bundle';
import { zipFolder } from '../../scripts/lib/publishing/zip';
import { motoClientConfig, type MotoServer } from './motoServer';

/** The bucket scripts/python/sam_expand.py points local CodeUri folders at. */
export const LOCAL_CODE_BUCKET = 'prefect-ecs-stack-local-code';

export async function uploadLambdaCode(moto: MotoServer): Promise<string[]> {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'pes-code-'));
  const bundles = await bundleLambdas(undefined, out);
  const s3 = new S3Client({ ...motoClientConfig(moto), forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: LOCAL_CODE_BUCKET }));
  for (const bundle of bundles) {
    await s3.send(new PutObjectCommand({ Bucket: LOCAL_CODE_BUCKET, Key: `lambdas/${bundle.name}.zip`, Body: zipFolder(path.dirname(bundle.file)) }));
  }
  return bundles.map((b) => b.name);
}
