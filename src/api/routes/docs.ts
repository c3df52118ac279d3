/**
 * The API's own description: GET /openapi.json (OpenAPI 3.1), GET /docs (Swagger UI, served from
 * node_modules: no CDN), GET /schemas/deployment.json (JSON Schema of the deployment config).
 */
import { dirname } from 'node:path';
import express, { Router } from 'express';
import { z } from 'zod';
import { deploymentConfigSchema } from '../../spec/config-schema';
import { defineOperation, type Operation } from '../openapi/operation';

const SWAGGER_DIR = dirname(require.resolve('swagger-ui-dist/package.json'));

const DOCS_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Deployment orchestrator API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/assets/init.js"></script></body></html>`;

/** Kept out of the page: helmet's CSP allows no inline scripts. */
const INIT_SCRIPT = "window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', deepLinking: true });\n";

/** The config's JSON Schema, for editors: what a client may write (input side of transforms). */
export const deploymentJsonSchema = (): object =>
  z.toJSONSchema(deploymentConfigSchema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' });

export function docsOperations(document: () => object): Operation[] {
  const configSchema = deploymentJsonSchema();
  return [
    defineOperation({
      method: 'get', path: '/openapi.json', summary: 'This API as an OpenAPI 3.1 document', tag: 'docs', access: 'public',
      responses: { 200: { description: 'The OpenAPI document', schema: z.record(z.string(), z.unknown()) } },
      handle: () => Promise.resolve({ status: 200, body: document() }),
    }),
    defineOperation({
      method: 'get', path: '/docs', summary: 'Interactive API documentation (Swagger UI)', tag: 'docs', access: 'public',
      responses: { 200: { description: 'An HTML page', schema: z.string(), contentType: 'text/html' } },
      handle({ res }) {
        res.type('html').send(DOCS_PAGE);
        return Promise.resolve(undefined);
      },
    }),
    defineOperation({
      method: 'get', path: '/schemas/deployment.json', summary: 'JSON Schema of the deployment config (for editors)', tag: 'docs', access: 'read',
      responses: { 200: { description: 'A JSON Schema (draft 2020-12)', schema: z.record(z.string(), z.unknown()) } },
      handle: () => Promise.resolve({ status: 200, body: configSchema }),
    }),
  ];
}

/** Swagger UI's static files and its start script, under /docs/assets. */
export function docsAssets(): Router {
  const router = Router();
  router.get('/docs/assets/init.js', (_req, res) => {
    res.type('application/javascript').send(INIT_SCRIPT);
  });
  router.use('/docs/assets', express.static(SWAGGER_DIR, { index: false }));
  return router;
}
