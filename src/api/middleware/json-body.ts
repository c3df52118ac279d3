/**
 * Request bodies: JSON only (a body of another type is a 415), at most `limitBytes` (a 413 that
 * states the limit). A request without a body passes; the route's schema decides if it needs one.
 *
 * A large JSON body (OFFLOAD_MIN_BYTES or more, or of unknown size: chunked or compressed) in
 * UTF-8 is read as bytes and checked on the offload pool instead of parsed here, so parsing a
 * megabyte holds no other request up: an invalid one is the same 400 as ever, a valid one is kept
 * for its route to parse on the pool too (src/api/offload), and `req.body` parses it on first read
 * for every other route. Every other body is parsed here, as body-parser does.
 */
import type { IncomingMessage } from 'node:http';
import express, { type RequestHandler } from 'express';
import { ApiError } from '../errors/api-errors';
import { isValidJson } from '../offload/offloaded';
import { keepRawJson } from '../offload/raw-body';
import { OFFLOAD_MIN_BYTES } from '../offload/settings';

const hasBody = (headers: Record<string, string | string[] | undefined>): boolean =>
  headers['transfer-encoding'] !== undefined || Number(headers['content-length'] ?? 0) > 0;

const requireJson: RequestHandler = (req, _res, next) => {
  if (hasBody(req.headers) && !req.is('application/json')) {
    const got = req.headers['content-type'] ?? 'none';
    throw new ApiError(415, 'unsupported_media_type', `request bodies must be application/json (got ${got})`, {
      content_type: got,
    });
  }
  next();
};

/** JSON in UTF-8 (said or implied) with no other parameter: the bodies the pool reads as body-parser would. */
const UTF8_JSON = /^application\/json\s*(;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;

function offloaded(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  const encoding = req.headers['content-encoding'] ?? 'identity';
  return (
    UTF8_JSON.test(req.headers['content-type'] ?? '') &&
    (length === undefined || encoding.toLowerCase() !== 'identity' || Number(length) >= OFFLOAD_MIN_BYTES)
  );
}

/** body-parser's failure to parse JSON, answered by the error middleware as it answers body-parser's own. */
const invalidJson = (): Error =>
  Object.assign(new SyntaxError('the request body is not valid JSON'), { status: 400, type: 'entity.parse.failed' });

/** After express.raw read an offloaded body (a Buffer): its JSON checked on the pool, kept for the route. */
const checkOffloaded: RequestHandler = async (req, _res, next) => {
  const raw: unknown = req.body;
  if (!Buffer.isBuffer(raw)) return next();
  if (!(await isValidJson(raw))) throw invalidJson();
  keepRawJson(req, raw);
  next();
};

export function jsonBody(limitBytes: number): RequestHandler[] {
  return [
    requireJson,
    express.raw({ type: offloaded, limit: limitBytes }),
    checkOffloaded,
    // Skips a body express.raw read (the request is finished).
    express.json({ limit: limitBytes, strict: false }),
  ];
}
