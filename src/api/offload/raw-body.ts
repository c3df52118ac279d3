/**
 * A JSON body read as bytes (middleware/json-body.ts does so for large ones): kept for the routes
 * that parse it on the thread pool, and `req.body` parsed from it on first read for every other.
 */
import type { Request } from 'express';

const RAW = Symbol('raw JSON body');

type WithRaw = Request & { [RAW]?: Uint8Array };

/** The body as body-parser's JSON parser reads it: UTF-8 without a leading BOM, empty meaning {}. */
export function parseJsonText(raw: Uint8Array): unknown {
  const text = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('utf8');
  const json = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return json.length === 0 ? {} : JSON.parse(json);
}

/** Keeps `raw` (valid JSON) for rawJsonBody; `req.body` becomes its value when first read. */
export function keepRawJson(req: Request, raw: Uint8Array): void {
  (req as WithRaw)[RAW] = raw;
  Object.defineProperty(req, 'body', {
    configurable: true,
    enumerable: true,
    get(): unknown {
      const value = parseJsonText(raw);
      Object.defineProperty(req, 'body', { value, configurable: true, enumerable: true, writable: true });
      return value;
    },
  });
}

/** The body's bytes when it was read as such, else undefined (then `req.body` is already parsed). */
export const rawJsonBody = (req: Request): Uint8Array | undefined => (req as WithRaw)[RAW];
