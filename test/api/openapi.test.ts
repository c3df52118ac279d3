/** The API describes itself: a valid OpenAPI 3.1 document, interactive docs, the config's JSON Schema. */
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { OpenApiCheck } from './helpers/openapi-check';
import { testApi, unreachableClient } from './helpers/app';

const api = testApi({ client: unreachableClient() });

describe('GET /openapi.json', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const { document } = await api.openApi();
    expect(document['openapi']).toBe('3.1.0');
    expect(OpenApiCheck.documentErrors(document)).toEqual([]);
    const { info: _info, ...withoutInfo } = document;
    expect(
      OpenApiCheck.documentErrors({ ...withoutInfo, paths: { '/x': { get: { responses: { 200: {} } } } } }),
    ).not.toEqual([]);
  });

  it('documents every route of the issue, each with its error responses', async () => {
    const paths = (await api.openApi()).document['paths'] as Record<
      string,
      Record<string, { responses: Record<string, unknown> }>
    >;
    const routes = Object.entries(paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(routes).toEqual(
      expect.arrayContaining([
        'POST /deploy/plan',
        'POST /deploy/apply',
        'GET /deploy/status/{id}',
        'POST /deploy/continue',
        'POST /deploy/retry',
        'POST /deploy/skip',
        'POST /deploy/rollback',
        'POST /deploy/abort',
        'POST /deploy/verify',
        'POST /deploy/destroy',
        'GET /deploy/history/{deployment_id}',
        'GET /deploy/list',
        'GET /deploy/logs/{id}',
        'GET /deploy/events/{id}',
        'POST /schedules',
        'GET /schedules',
        'GET /schedules/{id}',
        'DELETE /schedules/{id}',
        'POST /schedules/{id}/pause',
        'POST /schedules/{id}/unpause',
        'POST /schedules/{id}/trigger',
        'GET /health',
        'GET /metrics',
        'GET /openapi.json',
        'GET /docs',
        'GET /schemas/deployment.json',
        'GET /keys/public',
      ]),
    );
    expect(Object.keys(paths['/deploy/apply']?.['post']?.responses ?? {})).toEqual([
      '200',
      '202',
      '400',
      '401',
      '403',
      '404',
      '409',
      '413',
      '415',
      '429',
      '431',
      '500',
      '503',
    ]);
    expect(Object.keys(paths['/deploy/continue']?.['post']?.responses ?? {})).toEqual(
      expect.arrayContaining(['404', '409', '503']),
    );
  });

  it('keeps renamed component ids resolvable: each old id is a deprecated reference to its new name', async () => {
    const { document } = await api.openApi();
    const schemas = (document['components'] as { schemas: Record<string, Record<string, unknown>> }).schemas;
    expect(schemas['SeedDeployRequest']).toMatchObject({
      $ref: '#/components/schemas/DeployRequest',
      deprecated: true,
    });
    expect(schemas['SeedDeployment']).toMatchObject({ $ref: '#/components/schemas/Deployment', deprecated: true });
    for (const alias of Object.values(schemas).filter((s) => s['deprecated'] === true)) {
      const target = String(alias['$ref']).replace('#/components/schemas/', '');
      expect(schemas[target]).toBeDefined();
    }
    const deployBody = JSON.stringify((document['paths'] as Record<string, unknown>)['/deploy/deploy']);
    expect(deployBody).toContain('#/components/schemas/DeployRequest');
  });
});

describe('GET /docs', () => {
  it('serves Swagger UI from the package, with no CDN, loading /openapi.json', async () => {
    const page = await api.get('/docs');
    expect(page.status).toBe(200);
    expect(page.text).toContain('/docs/assets/swagger-ui-bundle.js');
    expect(page.text).not.toMatch(/https?:\/\//);
    const bundle = await api.get('/docs/assets/swagger-ui-bundle.js');
    expect(bundle.status).toBe(200);
    expect(bundle.headers['content-type']).toMatch(/javascript/);
    expect((await api.get('/docs/assets/init.js')).text).toContain("url: '/openapi.json'");
    expect((await api.get('/docs/assets/nothing-here.js')).status).toBe(404);
  });
});

describe('GET /schemas/deployment.json', () => {
  it('is a JSON Schema (2020-12) that accepts a config and rejects a malformed one', async () => {
    const response = await api.get('/schemas/deployment.json');
    expect(response.status).toBe(200);
    const ajv = new Ajv2020({ strict: false });
    addFormats(ajv);
    const validate = ajv.compile(response.body as object);
    expect(
      validate({
        deployment_id: 'my-app',
        resources: { wait: { type: 'core:delay', properties: { duration_ms: 10 } } },
      }),
    ).toBe(true);
    expect(validate({ deployment_id: 'Bad Id', resources: {} })).toBe(false);
  });
});
