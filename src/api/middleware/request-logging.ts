/**
 * Request ids and request logs: the caller's `x-request-id` is kept when it is a sane token, else
 * one is made; it is echoed in the response header, bound to every log line of the request
 * (`req.log`) and put in error bodies. A request is logged at debug when it succeeds, at warn
 * when refused (4xx), at error when it failed (5xx).
 */
import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function requestLogging(logger: Logger): RequestHandler {
  return pinoHttp({
    logger,
    genReqId(req, res) {
      const given = req.headers['x-request-id'];
      const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
      res.setHeader('x-request-id', id);
      return id;
    },
    // A request that went well is for debugging; refusals and failures are worth a look.
    customLogLevel: (_req, res, err) =>
      err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'debug',
    customAttributeKeys: { reqId: 'request_id' },
    quietReqLogger: true,
    serializers: {
      req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
    },
  });
}
