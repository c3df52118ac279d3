/**
 * A Slack surrogate for tests (express on 127.0.0.1, a free port; `close()` stops it): the Web API
 * methods of methods.ts under `apiUrl` (POST /api/<method>, a bearer bot token checked: unknown →
 * `invalid_auth`, none → `not_authed`) and incoming webhooks (POST /services/…, `addWebhook`).
 * It records every request (`requests`: what each one sent, the token never) and every message
 * (`messages()`: channel, ts, thread_ts, metadata), so tests can assert threads.
 *
 * Faults (`fail(method, fault)`, `webhook` for the webhooks) answer Slack's error instead of the
 * method: `{ error: 'channel_not_found' }` as `{ ok: false }`, `{ error: 'ratelimited', retryAfter: 3 }`
 * as HTTP 429 with Retry-After, `{ status: 503 }` as that status; with `afterEffect` the method
 * runs first and only its answer is lost (a post that landed while the client saw a failure).
 */
import type { Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import express, { type Request, type Response } from 'express';
import { METHODS, SlackApiError, TEAM, type Args } from './methods';
import { SlackState, type BotToken, type Channel, type Message } from './state';

export interface SlackFault {
  /** Slack's error code: the `error` of a Web API answer, the body of a webhook's. */
  readonly error?: string;
  /** Default: 429 for `ratelimited`, else 200 for a Web API method and 400 for a webhook. */
  readonly status?: number;
  /** Seconds, sent as Retry-After. */
  readonly retryAfter?: number;
  /** Runs the method first, then answers the fault: its effect lands, its answer is lost. */
  readonly afterEffect?: boolean;
  /** How many requests it answers (default 1). */
  readonly times?: number;
}

export interface SlackRequest {
  /** A Web API method, or `webhook`. */
  readonly method: string;
  /** What was sent (form fields parsed, objects as sent). */
  readonly args: Args;
  readonly status: number;
  /** Slack's error code, if it answered one. */
  readonly error: string | undefined;
}

/** Every scope the Web API mode may use. */
const ALL_SCOPES = ['chat:write', 'channels:history', 'channels:read'];

export class SlackSurrogate {
  readonly state = new SlackState();
  readonly requests: SlackRequest[] = [];
  private readonly faults = new Map<string, { fault: SlackFault; left: number }[]>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<SlackSurrogate> {
    const app = express();
    let surrogate: SlackSurrogate | null = null;
    app.use(express.urlencoded({ extended: false, limit: '1mb' }));
    app.use(express.json({ limit: '1mb' }));
    app.post('/api/:method', (req, res) => surrogate?.api(req, res));
    app.post('/services/*path', (req, res) => surrogate?.webhook(req, res));
    const server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('the Slack surrogate has no port');
    surrogate = new SlackSurrogate(server, `http://127.0.0.1:${address.port}`);
    return surrogate;
  }

  /** SLACK_API_URL for clients of this surrogate. */
  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  // ---- seeding -------------------------------------------------------------------------------

  /** A bot token Slack takes, with these scopes (default: every scope the Web API mode may use). */
  addToken(token: string, scopes: readonly string[] = ALL_SCOPES): BotToken {
    const bot = { token, scopes: new Set(scopes) };
    this.state.tokens.set(token, bot);
    return bot;
  }

  addChannel(name: string): Channel {
    return this.state.channel(name) ?? this.state.addChannel(name);
  }

  /** An incoming webhook posting to this channel; its URL (the secret) is returned. */
  addWebhook(channel: string): string {
    const path = `/services/${TEAM.team_id}/B${randomBytes(4).toString('hex').toUpperCase()}/${randomBytes(12).toString('hex')}`;
    this.state.webhooks.set(path, { path, channel: this.addChannel(channel) });
    return `${this.url}${path}`;
  }

  /** The next `times` requests of `method` (`webhook` for webhooks) answer this fault. */
  fail(method: string, fault: SlackFault): void {
    const queued = this.faults.get(method) ?? [];
    queued.push({ fault, left: fault.times ?? 1 });
    this.faults.set(method, queued);
  }

  // ---- observations --------------------------------------------------------------------------

  /** Messages in the order they were posted: all, or one channel's (by id or name). */
  messages(channel?: string): Message[] {
    const id = channel === undefined ? undefined : this.state.channel(channel)?.id;
    return this.state.messages.filter((m) => channel === undefined || m.channel === id);
  }

  /** How many requests of `method` were answered (with `error`, if given). */
  count(method: string, error?: string): number {
    return this.requests.filter((r) => r.method === method && (error === undefined || r.error === error)).length;
  }

  // ---- request handling ----------------------------------------------------------------------

  private nextFault(method: string): SlackFault | undefined {
    const queued = this.faults.get(method);
    const armed = queued?.[0];
    if (!queued || !armed) return undefined;
    armed.left -= 1;
    if (armed.left <= 0) queued.shift();
    return armed.fault;
  }

  private answer(res: Response, request: Omit<SlackRequest, 'status' | 'error'>, status: number, body: unknown): void {
    const error = typeof body === 'string' ? (status === 200 ? undefined : body) : (body as { error?: string }).error;
    this.requests.push({ ...request, status, error });
    if (typeof body === 'string') res.status(status).type('text/html').send(body);
    else res.status(status).json(body);
  }

  private answerFault(res: Response, request: Omit<SlackRequest, 'status' | 'error'>, fault: SlackFault): void {
    const webhook = request.method === 'webhook';
    const status = fault.status ?? (fault.error === 'ratelimited' ? 429 : webhook ? 400 : 200);
    if (fault.retryAfter !== undefined) res.setHeader('retry-after', String(fault.retryAfter));
    const error = fault.error ?? (status >= 500 ? 'service_unavailable' : 'invalid_request');
    this.answer(res, request, status, webhook || status >= 500 ? error : { ok: false, error });
  }

  private api(req: Request, res: Response): void {
    const method = String(req.params['method']);
    const args = (req.body ?? {}) as Args;
    const request = { method, args };
    const run = METHODS[method];
    if (!run) return this.answer(res, request, 404, { ok: false, error: 'unknown_method' });
    const bearer = /^Bearer (.+)$/.exec(req.get('authorization') ?? '')?.[1];
    if (bearer === undefined) return this.answer(res, request, 200, { ok: false, error: 'not_authed' });
    const token = this.state.tokens.get(bearer);
    if (!token) return this.answer(res, request, 200, { ok: false, error: 'invalid_auth' });
    const fault = this.nextFault(method);
    if (fault && !fault.afterEffect) return this.answerFault(res, request, fault);
    let body: Record<string, unknown>;
    try {
      body = { ok: true, ...run(this.state, args, token) };
    } catch (err) {
      if (!(err instanceof SlackApiError)) throw err;
      body = { ok: false, error: err.error, ...err.extra };
    }
    if (fault) return this.answerFault(res, request, fault);
    this.answer(res, request, 200, body);
  }

  private webhook(req: Request, res: Response): void {
    const args = (req.body ?? {}) as Args;
    const request = { method: 'webhook', args };
    const hook = this.state.webhooks.get(req.path);
    if (!hook) return this.answer(res, request, 404, 'no_service');
    const fault = this.nextFault('webhook');
    if (fault && !fault.afterEffect) return this.answerFault(res, request, fault);
    const text = typeof args['text'] === 'string' ? args['text'] : '';
    const blocks = Array.isArray(args['blocks']) ? (args['blocks'] as unknown[]) : undefined;
    if (text === '' && !blocks?.length) return this.answer(res, request, 400, 'no_text');
    this.state.post({
      channel: hook.channel.id,
      text,
      blocks,
      thread_ts: undefined,
      metadata: undefined,
      via: 'webhook',
    });
    if (fault) return this.answerFault(res, request, fault);
    this.answer(res, request, 200, 'ok');
  }
}
