/**
 * The dashboard (ui/, built by `npm run build:ui`, which npm start and npm test's setup run when it
 * is missing or stale): GET /ui serves its page, GET /ui/assets/{file} its bundle. The page itself
 * is public; everything it shows comes from the API with the user's key.
 */
import { join } from 'node:path';
import { z } from 'zod';
import { NotFoundError } from '../errors/api-errors';
import { defineOperation, type Operation } from '../openapi/operation';
import { fileParams, isFile, sendFileFrom } from './static-files';

export const DASHBOARD_DIR = join(__dirname, '..', '..', '..', 'ui', 'dist');

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
      params: fileParams,
      responses: { 200: { description: 'The file' } },
      errors: [404],
      handle: ({ params, res }) => sendFileFrom(res.set('Cache-Control', 'no-cache'), join(dir, 'assets'), params.file),
    }),
  ];
}
