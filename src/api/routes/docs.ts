/**
 * The API's own description: GET /openapi.json (OpenAPI 3.1), GET /docs (Swagger UI, served from
 * node_modules: no CDN), GET /schemas/deployment.json (JSON Schema of the deployment config, each
 * resource discriminated by `type` over the registry's types, so editors complete type names and
 * each type's properties).
 */
import { dirname } from 'node:path';
import { z } from 'zod';
import { typedConfigSchema } from '../../model/typed-config-schema';
import { documentedTypes, documentedTypesGeneration } from '../../resources/outputs';
import { defineOperation, type Operation } from '../openapi/operation';
import { jsonSchemaOf } from '../schemas/components';
import { fileParams, sendFileFrom } from './static-files';

const SWAGGER_DIR = dirname(require.resolve('swagger-ui-dist/package.json'));

const DOCS_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Deployment orchestrator API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css">
<link rel="icon" type="image/png" href="/docs/assets/favicon-32x32.png"></head>
<body><div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/assets/init.js"></script></body></html>`;

/** Kept out of the page: helmet's CSP allows no inline scripts. */
const INIT_SCRIPT =
  "window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', deepLinking: true });\n";

export function docsOperations(document: () => object): Operation[] {
  let configSchema: { readonly generation: number; readonly schema: object } | undefined;
  const deploymentSchema = (): object => ({
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    ...jsonSchemaOf(typedConfigSchema(documentedTypes())),
  });
  return [
    defineOperation({
      method: 'get',
      path: '/openapi.json',
      summary: 'This API as an OpenAPI 3.1 document',
      tag: 'docs',
      access: 'public',
      responses: { 200: { description: 'The OpenAPI document', schema: z.record(z.string(), z.unknown()) } },
      handle: () => Promise.resolve({ status: 200, body: document() }),
    }),
    defineOperation({
      method: 'get',
      path: '/docs',
      summary: 'Interactive API documentation (Swagger UI)',
      tag: 'docs',
      access: 'public',
      responses: { 200: { description: 'An HTML page', schema: z.string(), contentType: 'text/html' } },
      handle({ res }) {
        res.type('html').send(DOCS_PAGE);
        return Promise.resolve(undefined);
      },
    }),
    defineOperation({
      method: 'get',
      path: '/docs/assets/{file}',
      summary: "Swagger UI's files (from the swagger-ui-dist package)",
      tag: 'docs',
      access: 'public',
      params: fileParams,
      responses: { 200: { description: 'The file' } },
      errors: [404],
      async handle({ params, res }) {
        if (params.file === 'init.js') {
          res.type('application/javascript').send(INIT_SCRIPT);
          return undefined;
        }
        return sendFileFrom(res, SWAGGER_DIR, params.file);
      },
    }),
    defineOperation({
      method: 'get',
      path: '/schemas/deployment.json',
      summary: 'JSON Schema of the deployment config (for editors)',
      description:
        "Each resource is a union discriminated by `type`: one branch per registered type, with that type's own `properties` schema and, in its description, its outputs. References, cycles and limits are checked by the validator only.",
      tag: 'docs',
      access: 'read',
      responses: { 200: { description: 'A JSON Schema (draft 2020-12)', schema: z.record(z.string(), z.unknown()) } },
      handle() {
        const generation = documentedTypesGeneration();
        if (configSchema?.generation !== generation) configSchema = { generation, schema: deploymentSchema() };
        return Promise.resolve({ status: 200, body: configSchema.schema });
      },
    }),
  ];
}
