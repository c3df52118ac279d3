/**
 * The tests' HTTP client: supertest against the app, and every response it receives checked
 * against the app's own /openapi.json (see openapi-check.ts). Tests never call supertest directly.
 */
import type { Express } from 'express';
import request, { type Response } from 'supertest';
import { OpenApiCheck } from './openapi-check';

export interface CallOptions {
  readonly key?: string | undefined;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /** Send this string as the raw body (with the given content-type header). */
  readonly raw?: string | undefined;
}

export class Http {
  private check: OpenApiCheck | undefined;

  constructor(readonly app: Express) {}

  async openApi(): Promise<OpenApiCheck> {
    if (!this.check) {
      const response = await request(this.app).get('/openapi.json').expect(200);
      this.check = new OpenApiCheck(response.body as Record<string, unknown>);
    }
    return this.check;
  }

  async call(method: 'get' | 'post' | 'delete', path: string, options: CallOptions = {}): Promise<Response> {
    const check = await this.openApi();
    let pending = request(this.app)[method](path);
    if (options.key) pending = pending.set('Authorization', `Bearer ${options.key}`);
    for (const [name, value] of Object.entries(options.headers ?? {})) pending = pending.set(name, value);
    if (options.raw !== undefined) pending = pending.send(options.raw);
    else if (options.body !== undefined) pending = pending.send(options.body as object);
    const response = await pending;
    check.check(method, path, response.status, response.headers['content-type'], response.body);
    return response;
  }

  get = (path: string, options?: CallOptions): Promise<Response> => this.call('get', path, options);
  post = (path: string, body?: unknown, options: CallOptions = {}): Promise<Response> =>
    this.call('post', path, { ...options, body });
  delete = (path: string, options?: CallOptions): Promise<Response> => this.call('delete', path, options);
}
