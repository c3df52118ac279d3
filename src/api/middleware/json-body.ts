/**
 * Request bodies: JSON only (a body of another type is a 415), at most `limitBytes` (a 413 that
 * states the limit). A request without a body passes; the route's schema decides if it needs one.
 */
import express, { type RequestHandler } from 'express';
import { ApiError } from '../errors/api-errors';

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

export function jsonBody(limitBytes: number): RequestHandler[] {
  return [requireJson, express.json({ limit: limitBytes, strict: false })];
}
