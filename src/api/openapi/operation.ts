/**
 * One definition per route: its schemas validate the request AND generate the OpenAPI document,
 * so the two cannot drift. `defineOperation` checks the types of a handler against its schemas;
 * the result is what routers mount (`toRouter`) and what the document lists (`buildDocument`).
 */
import type { Request, Response } from 'express';
import type { z } from 'zod';
import type { Access, Principal } from '../auth/principal';
import { ValidationError, type FieldIssue } from '../errors/api-errors';
import { rawJsonBody } from '../offload/raw-body';
import { parseOrThrow } from '../schemas/parse';

export interface ResponseDoc {
  readonly description: string;
  readonly schema?: z.ZodType;
  /** Defaults to application/json. */
  readonly contentType?: string;
}

export interface Reply {
  readonly status: number;
  readonly body: unknown;
}

/** A reply whose body is JSON text already (made off the event loop): sent as `res.json` sends a value. */
export interface JsonTextReply {
  readonly status: number;
  readonly json: string;
}

/** A large body parsed on the offload pool: the body for the handler, or the whole reply when the pool could make it. */
export type Offloaded<B> = { readonly body: B } | { readonly reply: JsonTextReply };

export interface HandlerContext<B, P, Q, H> {
  readonly body: B;
  readonly params: P;
  readonly query: Q;
  readonly headers: H;
  readonly principal: Principal;
  readonly req: Request;
  readonly res: Response;
}

type AnyObject = z.ZodObject;

export interface OperationSpec<
  B extends z.ZodType,
  P extends AnyObject,
  Q extends AnyObject,
  H extends AnyObject,
  BodyOut,
> {
  readonly method: 'get' | 'post' | 'delete';
  /** OpenAPI form: `/deploy/status/{id}`. */
  readonly path: string;
  readonly summary: string;
  readonly description?: string;
  readonly tag: string;
  readonly access: Access;
  /** The body's schema: parses it, and documents it. */
  readonly body?: B;
  /** Parses instead of `body` (which then only documents), when validation needs more than a schema: configs. */
  readonly parseBody?: (raw: unknown) => BodyOut;
  /**
   * Parses a body that middleware/json-body.ts read as bytes (a large one) on the offload pool
   * instead, to the same result as `parseBody` (src/api/offload).
   */
  readonly offload?: (raw: Uint8Array, principal: Principal) => Promise<Offloaded<BodyOut>>;
  readonly params?: P;
  readonly query?: Q;
  /** Request headers the route reads (lower-case names). */
  readonly headers?: H;
  readonly responses: Readonly<Record<number, ResponseDoc>>;
  /** Error statuses this route answers besides the common ones (400, 401/403, 429, 503). */
  readonly errors?: readonly number[];
  /** Returns the reply, or undefined when it wrote the response itself (streams, static files). */
  handle(ctx: HandlerContext<BodyOut, z.output<P>, z.output<Q>, z.output<H>>): Promise<Reply | undefined>;
}

/** A mounted route, its types erased. */
export interface Operation {
  readonly method: 'get' | 'post' | 'delete';
  readonly path: string;
  readonly summary: string;
  readonly description: string | undefined;
  readonly tag: string;
  readonly access: Access;
  readonly body: z.ZodType | undefined;
  readonly params: AnyObject | undefined;
  readonly query: AnyObject | undefined;
  readonly headers: AnyObject | undefined;
  readonly responses: Readonly<Record<number, ResponseDoc>>;
  readonly errors: readonly number[];
  /** Parses the request (a 400 listing every problem), runs the handler and sends its reply. */
  run(req: Request, res: Response, principal: Principal): Promise<void>;
}

export function defineOperation<
  B extends z.ZodType = z.ZodUndefined,
  P extends AnyObject = AnyObject,
  Q extends AnyObject = AnyObject,
  H extends AnyObject = AnyObject,
  BodyOut = z.output<B>,
>(spec: OperationSpec<B, P, Q, H, BodyOut>): Operation {
  return {
    method: spec.method,
    path: spec.path,
    summary: spec.summary,
    description: spec.description,
    tag: spec.tag,
    access: spec.access,
    body: spec.body,
    params: spec.params,
    query: spec.query,
    headers: spec.headers,
    responses: spec.responses,
    errors: spec.errors ?? [],
    async run(req, res, principal) {
      const issues: FieldIssue[] = [];
      const parsed = async <T>(parse: () => T | Promise<T>): Promise<T> => {
        try {
          return await parse();
        } catch (err) {
          if (!(err instanceof ValidationError)) throw err;
          issues.push(...err.issues);
          return undefined as T;
        }
      };
      const params = await parsed(
        () => (spec.params ? parseOrThrow(spec.params, req.params, 'params') : {}) as z.output<P>,
      );
      const query = await parsed(() => (spec.query ? parseOrThrow(spec.query, req.query, 'query') : {}) as z.output<Q>);
      const headers = await parsed(
        () => (spec.headers ? parseOrThrow(spec.headers, req.headers, 'headers') : {}) as z.output<H>,
      );
      const raw = rawJsonBody(req);
      const input = await parsed((): Offloaded<BodyOut> | Promise<Offloaded<BodyOut>> =>
        raw && spec.offload
          ? spec.offload(raw, principal)
          : {
              body: (spec.parseBody
                ? spec.parseBody(req.body)
                : spec.body
                  ? parseOrThrow(spec.body, req.body, 'body')
                  : undefined) as BodyOut,
            },
      );
      if (issues.length > 0) throw new ValidationError(issues);
      if ('reply' in input) {
        res.status(input.reply.status).set('Content-Type', 'application/json').send(input.reply.json);
        return;
      }
      const reply = await spec.handle({ body: input.body, params, query, headers, principal, req, res });
      if (reply) res.status(reply.status).json(reply.body);
    },
  };
}
