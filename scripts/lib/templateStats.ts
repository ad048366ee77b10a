/** What the synth summary reports per template. */
import { TEMPLATE_BODY_LIMIT_BYTES, TEMPLATE_S3_LIMIT_BYTES } from '../../templates/core/constants';

export interface TemplateStats {
  readonly resources: number;
  readonly parameters: number;
  readonly outputs: number;
  readonly bytes: number;
  readonly fitsInline: boolean;
  readonly fitsS3: boolean;
}

export function templateStats(template: { Resources?: object; Parameters?: object; Outputs?: object }, text: string): TemplateStats {
  const bytes = Buffer.byteLength(text, 'utf8');
  return {
    resources: Object.keys(template.Resources ?? {}).length,
    parameters: Object.keys(template.Parameters ?? {}).length,
    outputs: Object.keys(template.Outputs ?? {}).length,
    bytes,
    fitsInline: bytes <= TEMPLATE_BODY_LIMIT_BYTES,
    fitsS3: bytes <= TEMPLATE_S3_LIMIT_BYTES,
  };
}

const percent = (part: number, whole: number) => `${((100 * part) / whole).toFixed(1)}%`;

export function describeSize(bytes: number): string {
  return (
    `${bytes.toLocaleString('en-US')} B (${percent(bytes, TEMPLATE_BODY_LIMIT_BYTES)} of the 51,200 B inline limit` +
    `${bytes > TEMPLATE_BODY_LIMIT_BYTES ? ': deploy from S3, as sam deploy --resolve-s3 does' : ''}; ` +
    `${percent(bytes, TEMPLATE_S3_LIMIT_BYTES)} of 1,000,000 B from S3)`
  );
}
