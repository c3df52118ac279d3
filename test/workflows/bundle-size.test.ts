/**
 * Issue 17: what a cached workflow costs. With the reused V8 context every workflow evaluates the
 * bundle's modules again (only the SDK's own are shared), so a library in the bundle is paid once
 * per cached workflow: zod and the config's schemas made each cost about 2.3 MB instead of 0.35 MB
 * (`npm run bench`, item 6). Workflows read configs that were validated already, without zod.
 */
import { readFile } from 'node:fs/promises';

it('keeps zod and the config schemas out of the workflow bundle', async () => {
  const bundle = await readFile(process.env['TEST_WORKFLOW_BUNDLE'] ?? '', 'utf8');
  const modules = [...bundle.matchAll(/^\/\*{3}\/ "([^"]+)"/gm)].map((m) => m[1]);
  expect(modules).toContain('./src/workflows/deployment.ts');
  expect(modules.filter((m) => m?.includes('/zod/') || m?.endsWith('config-schema.ts'))).toEqual([]);
});
