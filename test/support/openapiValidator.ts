/**
 * Validates requests against Prefect's OpenAPI schema (OpenAPI 3.1 = JSON Schema 2020-12), so a
 * test fails when a Lambda sends a body the real server would reject or silently misread.
 * Stricter than the server in one way on purpose: unknown top-level body keys are errors,
 * because the server ignores them and would answer an unfiltered count.
 */
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import fs from 'node:fs';
import path from 'node:path';

interface Operation {
  requestBody?: { required?: boolean; content?: Record<string, { schema?: Record<string, unknown> }> };
}
interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Record<string, unknown>> };
}

const DOCUMENT_ID = 'prefect-openapi.json';

export class OpenApiValidator {
  private readonly ajv: Ajv2020;
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly routes: { template: string; pattern: RegExp }[];

  constructor(private readonly document: OpenApiDocument) {
    this.ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(this.ajv);
    this.ajv.addSchema({ $id: DOCUMENT_ID, components: document.components });
    this.routes = Object.keys(document.paths)
      .map((template) => ({ template, pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}/?$`) }))
      // Literal paths before templated ones: /work_pools/filter is not /work_pools/{name}.
      .sort((a, b) => (a.template.match(/\{/g)?.length ?? 0) - (b.template.match(/\{/g)?.length ?? 0));
  }

  static fromFile(file = path.join(process.cwd(), 'lambdas', 'common', 'prefect', 'openapi.json')): OpenApiValidator {
    return new OpenApiValidator(JSON.parse(fs.readFileSync(file, 'utf8')) as OpenApiDocument);
  }

  /** The schema path template a concrete request path matches, if any. */
  route(method: string, requestPath: string): string | undefined {
    const lower = method.toLowerCase();
    return this.routes.find((r) => r.pattern.test(requestPath) && this.document.paths[r.template]![lower])?.template;
  }

  /** Problems with the request; empty when the server would accept it. */
  validate(method: string, requestPath: string, body: unknown): string[] {
    const template = this.route(method, requestPath);
    if (!template) return [`${method} ${requestPath} is not an endpoint of the Prefect API`];
    const operation = this.document.paths[template]![method.toLowerCase()]!;
    const schema = operation.requestBody?.content?.['application/json']?.schema;
    if (!schema) return body === undefined ? [] : [`${method} ${template} takes no JSON body`];
    if (body === undefined) return operation.requestBody?.required ? [`${method} ${template} needs a JSON body`] : [];
    const errors: string[] = [];
    const resolved = this.resolveTopLevel(schema);
    if (resolved?.properties && body && typeof body === 'object' && !Array.isArray(body)) {
      for (const key of Object.keys(body)) {
        if (!(key in (resolved.properties as object))) errors.push(`unknown top-level key "${key}" (the server would ignore it)`);
      }
    }
    const validate = this.compile(`${method} ${template}`, schema);
    if (!validate(body)) errors.push(...(validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`));
    return errors;
  }

  private resolveTopLevel(schema: Record<string, unknown>): Record<string, unknown> | undefined {
    const ref = schema.$ref as string | undefined;
    if (!ref) return schema;
    return this.document.components.schemas[ref.replace('#/components/schemas/', '')];
  }

  private compile(key: string, schema: Record<string, unknown>): ValidateFunction {
    let validate = this.compiled.get(key);
    if (!validate) {
      const rebased = JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', `"${DOCUMENT_ID}#/components/`));
      validate = this.ajv.compile(rebased);
      this.compiled.set(key, validate);
    }
    return validate;
  }
}
