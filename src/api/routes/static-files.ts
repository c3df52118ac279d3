/** Files the gateway serves as they are (Swagger UI's, the dashboard's): one file name, from one folder. */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Response } from 'express';
import { z } from 'zod';
import { NotFoundError } from '../errors/api-errors';

/** The `{file}` path parameter: a plain file name, so a request never leaves its folder. */
export const fileParams = z.object({ file: z.string().regex(/^[\w.-]+$/, 'must be a file name') });

export const isFile = (path: string): Promise<boolean> =>
  stat(path).then(
    (s) => s.isFile(),
    () => false,
  );

/** Sends `dir/file`, or a 404 naming the file. */
export async function sendFileFrom(res: Response, dir: string, file: string): Promise<undefined> {
  const path = join(dir, file);
  if (!(await isFile(path))) throw new NotFoundError(`file ${file}`);
  res.sendFile(path);
  return undefined;
}
