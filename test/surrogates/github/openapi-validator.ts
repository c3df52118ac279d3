/**
 * Checks HTTP exchanges against GitHub's published OpenAPI description (npm @octokit/openapi):
 * the operation must exist (path template + method), path/query parameters and the JSON body must
 * match its parameters and request body, and a response must match the schema documented for its
 * status. Undocumented error statuses must have GitHub's `basic-error` shape.
 * Schemas compile lazily, per operation, against the one loaded document.
 */
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

interface Schema {
  readonly [key: string]: unknown;
}

interface Parameter {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header' | 'cookie';
  readonly required?: boolean;
  readonly schema?: Schema;
}

interface MediaType {
  readonly schema?: Schema;
}

interface OperationObject {
  readonly operationId: string;
  readonly parameters?: readonly (Parameter | { readonly $ref: string })[];
  readonly requestBody?: { readonly required?: boolean; readonly content?: Readonly<Record<string, MediaType>> };
  readonly responses: Readonly<Record<string, ResponseObject | { readonly $ref: string }>>;
}

interface ResponseObject {
  readonly content?: Readonly<Record<string, MediaType>>;
}

interface OpenApiDocument {
  readonly paths: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly components: {
    readonly parameters: Readonly<Record<string, Parameter>>;
    readonly responses: Readonly<Record<string, ResponseObject>>;
  };
}

export interface MatchedOperation {
  readonly template: string;
  readonly method: string;
  readonly operationId: string;
  readonly pathParams: Readonly<Record<string, string>>;
}

interface Route {
  readonly template: string;
  readonly regex: RegExp;
  readonly names: readonly string[];
  readonly literals: number;
}

const DOC_ID = 'https://api.github.com/openapi.json';
const METHODS = new Set(['get', 'put', 'post', 'patch', 'delete', 'head']);

/** Query and path values arrive as strings: coerce them to what the schema declares. */
function coerce(value: string, schema: Schema | undefined): unknown {
  const type = schema?.['type'];
  if (type === 'integer' || type === 'number') return /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
  if (type === 'boolean') return value === 'true' ? true : value === 'false' ? false : value;
  return value;
}

/**
 * OpenAPI 3.0's `nullable: true` in the two places Ajv reads it otherwise: beside an `enum` (Ajv
 * wants null listed, e.g. a check run's `conclusion`), and beside `oneOf`/`anyOf`/`allOf` with no
 * `type` (which Ajv refuses to compile, e.g. a commit's `author`: it becomes `anyOf: [it, null]`).
 * Changes the schemas in place (examples, read by fixtures.ts, are left alone).
 */
function openApiNullable(node: unknown): unknown {
  if (Array.isArray(node)) {
    node.forEach((item, i) => (node[i] = openApiNullable(item)));
    return node;
  }
  if (node === null || typeof node !== 'object') return node;
  const schema = node as Record<string, unknown>;
  for (const [key, value] of Object.entries(schema))
    if (key !== 'example' && key !== 'examples') schema[key] = openApiNullable(value);
  if (schema['nullable'] !== true) return schema;
  const values = schema['enum'];
  if (Array.isArray(values) && !values.includes(null)) values.push(null);
  if ('type' in schema) return schema;
  const rest = Object.fromEntries(
    Object.entries(schema).filter(([key]) => key !== 'nullable' && key !== 'description'),
  );
  return Object.keys(rest).length === 0 ? {} : { anyOf: [rest, { type: 'null' }] };
}

export class OpenApiValidator {
  private readonly ajv: Ajv;
  private readonly routes: readonly Route[];
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(private readonly doc: OpenApiDocument) {
    this.ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false, logger: false });
    addFormats(this.ajv);
    openApiNullable(doc.paths);
    openApiNullable(doc.components);
    this.ajv.addSchema(doc as unknown as Schema, DOC_ID);
    this.routes = Object.keys(doc.paths)
      .map((template) => {
        const names: string[] = [];
        const source = template
          .split('/')
          .map((segment) =>
            segment
              .replace(/[.*+?^${}()|[\]\\]/g, (c) => `\\${c}`)
              .replace(/\\\{(\w+)\\\}/g, (_m, name: string) => {
                names.push(name);
                return '([^/]+)';
              }),
          )
          .join('/');
        return {
          template,
          regex: new RegExp(`^${source}$`),
          names,
          literals: template.split('/').filter((s) => s && !s.startsWith('{')).length,
        };
      })
      .sort((a, b) => b.literals - a.literals);
  }

  private operation(template: string, method: string): OperationObject | undefined {
    return this.doc.paths[template]?.[method] as OperationObject | undefined;
  }

  /** The documented operation for a request path and method, with its path parameters. */
  match(method: string, path: string): MatchedOperation | null {
    const m = method.toLowerCase();
    if (!METHODS.has(m)) return null;
    for (const route of this.routes) {
      const found = route.regex.exec(path);
      const op = found ? this.operation(route.template, m) : undefined;
      if (found && op) {
        const pathParams = Object.fromEntries(
          route.names.map((name, i) => [name, decodeURIComponent(found[i + 1] ?? '')]),
        );
        return { template: route.template, method: m, operationId: op.operationId, pathParams };
      }
    }
    return null;
  }

  private validator(key: string, schema: Schema): ValidateFunction {
    let fn = this.compiled.get(key);
    if (!fn) {
      fn = this.ajv.compile({ $id: `${DOC_ID}/_${this.compiled.size}`, ...this.rebase(schema) });
      this.compiled.set(key, fn);
    }
    return fn;
  }

  /** Local `#/components/...` refs in an inline schema point into the loaded document. */
  private rebase(schema: Schema): Schema {
    return JSON.parse(JSON.stringify(schema).replace(/"\$ref":"#\//g, `"$ref":"${DOC_ID}#/`)) as Schema;
  }

  private check(key: string, schema: Schema, value: unknown, where: string): string[] {
    const fn = this.validator(key, schema);
    if (fn(value)) return [];
    return (fn.errors ?? [])
      .slice(0, 5)
      .map(
        (e) =>
          `${where}: ${e.instancePath || '(root)'} ${e.message ?? 'is invalid'}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`,
      );
  }

  private response(found: ResponseObject | { readonly $ref: string } | undefined): ResponseObject | undefined {
    if (!found || !('$ref' in found)) return found;
    const resolved = this.doc.components.responses[found.$ref.replace('#/components/responses/', '')];
    if (!resolved) throw new Error(`unresolvable response ${found.$ref}`);
    return resolved;
  }

  private parameters(op: OperationObject): Parameter[] {
    return (op.parameters ?? []).map((p) => {
      if ('$ref' in p) {
        const name = p.$ref.replace('#/components/parameters/', '');
        const found = this.doc.components.parameters[name];
        if (!found) throw new Error(`unresolvable parameter ${p.$ref}`);
        return found;
      }
      return p;
    });
  }

  /** Problems with a request; an unknown operation is one problem. */
  validateRequest(req: {
    method: string;
    path: string;
    query: Readonly<Record<string, unknown>>;
    body: unknown;
    contentType: string | undefined;
  }): string[] {
    const matched = this.match(req.method, req.path);
    if (!matched) return [`request ${req.method} ${req.path}: no such operation in GitHub's OpenAPI description`];
    const op = this.operation(matched.template, matched.method);
    if (!op) return [];
    const where = `request ${matched.method.toUpperCase()} ${matched.template}`;
    const problems: string[] = [];
    for (const param of this.parameters(op)) {
      if (param.in !== 'path' && param.in !== 'query') continue;
      const raw = param.in === 'path' ? matched.pathParams[param.name] : req.query[param.name];
      if (raw === undefined) {
        if (param.required) problems.push(`${where}: missing required ${param.in} parameter ${param.name}`);
        continue;
      }
      if (typeof raw !== 'string') {
        problems.push(`${where}: ${param.in} parameter ${param.name} given more than once`);
        continue;
      }
      if (param.schema)
        problems.push(
          ...this.check(
            `${op.operationId}:${param.in}:${param.name}`,
            param.schema,
            coerce(raw, param.schema),
            `${where} ${param.in} ${param.name}`,
          ),
        );
    }
    const known = new Set(
      this.parameters(op)
        .filter((p) => p.in === 'query')
        .map((p) => p.name),
    );
    for (const name of Object.keys(req.query))
      if (!known.has(name)) problems.push(`${where}: unknown query parameter ${name}`);

    const bodySchema = op.requestBody?.content?.['application/json']?.schema;
    const hasBody = req.body !== undefined;
    if (op.requestBody?.required && !hasBody) problems.push(`${where}: missing required JSON body`);
    if (hasBody && !op.requestBody) problems.push(`${where}: sends a body the operation does not take`);
    if (hasBody && bodySchema) {
      if (!req.contentType?.startsWith('application/json'))
        problems.push(`${where}: body content-type ${req.contentType ?? 'none'}, expected application/json`);
      problems.push(...this.check(`${op.operationId}:body`, bodySchema, req.body, `${where} body`));
    }
    return problems;
  }

  /** Problems with a response to a matched operation. */
  validateResponse(matched: MatchedOperation, status: number, body: unknown): string[] {
    const op = this.operation(matched.template, matched.method);
    if (!op) return [];
    const where = `response ${status} to ${matched.method.toUpperCase()} ${matched.template}`;
    const documented = this.response(op.responses[String(status)]);
    if (!documented) {
      if (status < 400)
        return [`${where}: status not documented (documented: ${Object.keys(op.responses).join(', ')})`];
      const errorSchema = { $ref: `#/components/schemas/${status === 422 ? 'validation-error' : 'basic-error'}` };
      return this.check(`error:${status === 422 ? 422 : 'basic'}`, errorSchema, body, where);
    }
    const schema = documented.content?.['application/json']?.schema;
    if (!schema) return body === undefined ? [] : [`${where}: documented without a body but has one`];
    return this.check(`${op.operationId}:${status}`, schema, body === undefined ? null : body, where);
  }
}

let shared: OpenApiValidator | null = null;

/** One validator per test process: the description is 13 MB. */
export function githubOpenApi(): OpenApiValidator {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  shared ??= new OpenApiValidator(require('@octokit/openapi/generated/api.github.com.json') as OpenApiDocument);
  return shared;
}
