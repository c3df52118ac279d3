/** Reading the user's files: a JSON file by path, or standard input for `-`. */
import { readFile } from 'node:fs/promises';
import { CliError } from './errors';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export const readText = (path: string): Promise<string> =>
  (path === '-' ? readStdin() : readFile(path, 'utf8')).catch((err: Error) => {
    throw new CliError(`cannot read ${path}: ${err.message}`);
  });

export async function readJson(path: string): Promise<unknown> {
  const text = await readText(path);
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new CliError(`${path === '-' ? 'standard input' : path} is not JSON: ${(err as Error).message}`);
  }
}
