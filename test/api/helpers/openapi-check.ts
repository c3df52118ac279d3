/**
 * Checks responses against the API's own /openapi.json: the status must be documented for the
 * route, the content type must match, and a JSON body must validate against its schema (ajv,
 * JSON Schema 2020-12, which is OpenAPI 3.1's dialect).
 */
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import oasSchema from './oas-3.1.schema.json';

type Json = Record<string, unknown>;

const DOC_ID = 'urn:api:openapi';
const pointer = (...segments: string[]): string =>
  segments.map((s) => encodeURIComponent(s.replace(/~/g, '~0').replace(/\//g, '~1'))).join('/');

export class OpenApiCheck {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  private readonly routes: { template: string; pattern: RegExp }[];

  constructor(readonly document: Json) {
    addFormats(this.ajv);
    this.ajv.addSchema(document, DOC_ID);
    this.routes = Object.keys(document['paths'] as Json).map((template) => ({
      template,
      pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{\w+\\?\}/g, '[^/]+')}$`),
    }));
  }

  /**
   * Problems with the document itself against the OpenAPI 3.1 schema (empty when valid). Ajv
   * resolves the schema's `$dynamicRef: "#meta"` to the wrong anchor, so those refs point at
   * `#/$defs/schema` (what they resolve to in this schema, which leaves Schema Objects unchecked:
   * ajv compiles each of those itself when a response is checked).
   */
  static documentErrors(document: Json): string[] {
    const ajv = new Ajv2020({ strict: false, allErrors: true, logger: false });
    addFormats(ajv);
    const validate = ajv.compile(
      JSON.parse(
        JSON.stringify(oasSchema).replaceAll('{"$dynamicRef":"#meta"}', '{"$ref":"#/$defs/schema"}'),
      ) as object,
    );
    return validate(document) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
  }

  /** Throws with the details when the response does not match the document. */
  check(method: string, url: string, status: number, contentType: string | undefined, body: unknown): void {
    const path = url.split('?')[0] ?? url;
    const route = this.routes.find((r) => r.pattern.test(path));
    if (!route) {
      // Unknown routes are in no document: they must still answer a 404 in the error shape.
      if (status !== 404) throw new Error(`${method} ${path}: no such path in /openapi.json, yet status ${status}`);
      return this.validate(`${DOC_ID}#/components/schemas/Error`, `${method} ${path} 404`, body);
    }
    const operation = (this.document['paths'] as Record<string, Json>)[route.template]?.[method.toLowerCase()] as
      | Json
      | undefined;
    const responses = operation?.['responses'] as Record<string, Json> | undefined;
    const response = responses?.[String(status)];
    if (!response)
      throw new Error(`${method} ${route.template}: status ${status} is not documented (body ${JSON.stringify(body)})`);
    const content = response['content'] as Record<string, Json> | undefined;
    if (!content) return;
    const mediaType = Object.keys(content).find((type) => contentType?.startsWith(type));
    if (!mediaType)
      throw new Error(
        `${method} ${route.template} ${status}: content type ${contentType ?? 'none'} is not one of ${Object.keys(content).join(', ')}`,
      );
    if (mediaType !== 'application/json') return;
    const ref = `${DOC_ID}#/${pointer('paths', route.template, method.toLowerCase(), 'responses', String(status), 'content', mediaType, 'schema')}`;
    this.validate(ref, `${method} ${route.template} ${status}`, body);
  }

  private validate(ref: string, what: string, body: unknown): void {
    const validate = this.ajv.getSchema(ref) ?? this.ajv.compile({ $ref: ref });
    if (!validate(body)) {
      throw new Error(
        `${what}: body does not match /openapi.json: ${this.ajv.errorsText(validate.errors)}\n${JSON.stringify(body).slice(0, 2_000)}`,
      );
    }
  }
}
