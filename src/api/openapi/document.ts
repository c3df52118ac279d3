/**
 * The OpenAPI 3.1 document, generated from the same operations (and zod schemas) the routers
 * mount. Each operation lists its own responses; the errors every route can answer are added here.
 */
import {
  OpenAPIRegistry,
  OpenApiGeneratorV31,
  type ResponseConfig,
  type RouteConfig,
} from '@asteasolutions/zod-to-openapi';
import type { ParameterObject } from 'openapi3-ts/oas31';
import type { z } from 'zod';
import { errorResponseSchema } from '../schemas/common';
import { jsonSchemaOf, rawComponents } from '../schemas/components';
import type { Operation, ResponseDoc } from './operation';

const ERROR_TEXT: Readonly<Record<number, string>> = {
  400: 'Invalid input: every failing field path in details.issues',
  401: 'Missing or invalid API key',
  403: "The key's role does not allow this, or (without API_KEYS) the Host name is not a loopback or PUBLIC_HOSTNAMES name",
  404: 'Unknown id (or one of another tenant)',
  409: 'Conflicts with the current state: a run is active (details name it), or the run cannot take this now',
  413: 'Request body over the size limit (stated in the message)',
  415: 'Request body is not application/json',
  429: 'Rate limit reached; see Retry-After',
  500: 'Server fault (never caused by input)',
  503: 'Temporal is unreachable; see Retry-After',
};

function errorStatuses(op: Operation): number[] {
  // 403 on every route: without API_KEYS the Host check refuses a foreign Host name anywhere.
  const statuses = new Set<number>([...op.errors, 403, 429, 500]);
  if (op.access !== 'public') statuses.add(401);
  if (op.body || op.params || op.query || op.headers) statuses.add(400);
  if (op.body) [413, 415].forEach((s) => statuses.add(s));
  return [...statuses].sort((a, b) => a - b);
}

function responseConfig(doc: ResponseDoc): ResponseConfig {
  if (!doc.schema) return { description: doc.description };
  return { description: doc.description, content: { [doc.contentType ?? 'application/json']: { schema: doc.schema } } };
}

/**
 * Path, query and header parameters, written here from each field's JSON Schema (the generator's
 * own way needs `.openapi()` on schemas created after a global zod patch).
 */
function parameters(op: Operation): ParameterObject[] {
  const sources: [z.ZodObject | undefined, 'path' | 'query' | 'header'][] = [
    [op.params, 'path'],
    [op.query, 'query'],
    [op.headers, 'header'],
  ];
  return sources.flatMap(([schema, where]) =>
    Object.entries((schema?.shape ?? {}) as Record<string, z.ZodType>).map(([name, field]) => {
      const { description, ...fieldSchema } = jsonSchemaOf(field);
      const doc: ParameterObject = {
        name,
        in: where,
        required: where === 'path' || !field.safeParse(undefined).success,
        schema: fieldSchema,
      };
      return typeof description === 'string' ? { ...doc, description } : doc;
    }),
  );
}

function route(op: Operation): RouteConfig {
  const responses: Record<string, ResponseConfig> = {};
  for (const [status, doc] of Object.entries(op.responses)) responses[status] = responseConfig(doc);
  for (const status of errorStatuses(op)) {
    responses[String(status)] ??= {
      description: ERROR_TEXT[status] ?? 'Error',
      content: { 'application/json': { schema: errorResponseSchema } },
    };
  }
  // Node's HTTP server answers this itself, before the app sees the request, and with no body.
  responses['431'] = { description: 'Request headers over the HTTP server’s limit (16 KiB in all); no body' };
  return {
    method: op.method,
    path: op.path,
    summary: op.summary,
    ...(op.description ? { description: op.description } : {}),
    tags: [op.tag],
    security: op.access === 'public' ? [] : [{ bearerKey: [] }, { headerKey: [] }],
    'x-required-role': op.access,
    parameters: parameters(op),
    request: op.body ? { body: { required: true, content: { 'application/json': { schema: op.body } } } } : {},
    responses,
  };
}

/**
 * Component ids renamed since 1.0.0, old → new. The old ids stay in the document as deprecated
 * references to the new ones, so `$ref`s and generated clients written against them still resolve.
 */
const RENAMED_COMPONENTS: Readonly<Record<string, string>> = {
  SeedDeployRequest: 'DeployRequest',
  SeedUndeployRequest: 'UndeployRequest',
  SeedRedeployRequest: 'RedeployRequest',
  SeedDeploymentStatus: 'DeploymentState',
  SeedDeployment: 'Deployment',
  SeedDeploymentList: 'Deployments',
};

/** The API's version (its contract), not the package's. */
export const API_VERSION = '1.0.0';

export function buildDocument(operations: readonly Operation[]): object {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearerKey', {
    type: 'http',
    scheme: 'bearer',
    description: 'API key as a bearer token',
  });
  registry.registerComponent('securitySchemes', 'headerKey', { type: 'apiKey', in: 'header', name: 'x-api-key' });
  for (const [id, schema] of rawComponents()) registry.registerComponent('schemas', id, schema);
  for (const [old, now] of Object.entries(RENAMED_COMPONENTS)) {
    registry.registerComponent('schemas', old, {
      $ref: `#/components/schemas/${now}`,
      description: `Deprecated name of ${now}`,
      deprecated: true,
    });
  }
  for (const op of operations) registry.registerPath(route(op));
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Deployment orchestrator API',
      version: API_VERSION,
      description:
        'Plan, apply, observe and steer deployment runs (durable Temporal workflows). Roles: read < operate < admin; every key belongs to one tenant.',
    },
  });
}
