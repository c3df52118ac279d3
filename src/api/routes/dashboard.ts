/**
 * The dashboard (ui/, built by `npm run build:ui`, which npm start and npm test's setup run when it
 * is missing or stale): GET /ui serves its page, GET /ui/assets/{file} its bundle. The page itself
 * is public; everything it shows comes from the API with the user's key.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { NotFoundError } from '../errors/api-errors';
import { defineOperation, type Operation } from '../openapi/operation';

export const DASHBOARD_DIR = join(__dirname, '..', '..', '..', 'ui', 'dist');

const isFile = (path: string): Promise<boolean> =>
  stat(path).then(
    (s) => s.isFile(),
    () => false,
  );

export function dashboardOperations(dir = DASHBOARD_DIR): Operation[] {
  return [
    defineOperation({
      method: 'get',
      path: '/ui',
      summary: 'The dashboard: deployments, live runs and their graph, operator controls, plan and apply, templates',
      tag: 'docs',
      access: 'public',
      responses: { 200: { description: 'An HTML page', schema: z.string(), contentType: 'text/html' } },
      errors: [404],
      async handle({ res }) {
        const page = join(dir, 'index.html');
        if (!(await isFile(page)))
          throw new NotFoundError('a built dashboard (run `npm run build:ui`; npm start builds it)');
        res.set('Cache-Control', 'no-cache').sendFile(page);
        return undefined;
      },
    }),
    defineOperation({
      method: 'get',
      path: '/ui/assets/{file}',
      summary: "The dashboard's bundle",
      tag: 'docs',
      access: 'public',
      params: z.object({ file: z.string().regex(/^[\w.-]+$/, 'must be a file name') }),
      responses: { 200: { description: 'The file' } },
      errors: [404],
      async handle({ params, res }) {
        const path = join(dir, 'assets', params.file);
        if (!(await isFile(path))) throw new NotFoundError(`file ${params.file}`);
        res.set('Cache-Control', 'no-cache').sendFile(path);
        return undefined;
      },
    }),
  ];
}
