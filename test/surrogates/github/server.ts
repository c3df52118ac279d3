/**
 * A GitHub REST API surrogate for tests (express on 127.0.0.1, a free port). Every request it
 * receives and every response it sends is checked against GitHub's OpenAPI description; each
 * violation is recorded (`violations()`), and `expectNoViolations()` fails the test with them.
 * Routes are looked up by the description's own path templates, so the surrogate cannot serve a
 * path GitHub does not have. What tests seed is in SurrogateWorld. Each repository is a real bare
 * git repository (git-store.ts) that the Git data, pulls and contents routes read and write;
 * requests to one repository are served one at a time, as GitHub serializes pushes and merges.
 */
import type { Server } from 'node:http';
import express, { type Request, type Response } from 'express';
import { nacl } from '../../../src/credentials/sealed-box';
import { faultReply, Faults, type Fault } from './faults';
import { githubOpenApi, type MatchedOperation } from './openapi-validator';
import { accountHeaders, accountRoutes } from './routes/account';
import { actionRoutes } from './routes/actions';
import { checkRoutes } from './routes/checks';
import { commitRoutes } from './routes/commits';
import { gitDataRoutes } from './routes/git-data';
import { pullRoutes } from './routes/pulls';
import { releaseRoutes } from './routes/releases';
import { repoRoutes } from './routes/repos';
import { GitHubHttpError, type Reply, type Route, type RouteRequest, type SurrogateOptions } from './routes/route';
import { secretRoutes } from './routes/secrets';
import { GitHubState, type Account, type AcceptedWrite, type SecretScope } from './state';
import { SurrogateWorld } from './surrogate-world';

const ROUTES: ReadonlyMap<string, Route> = new Map(
  [
    ...secretRoutes,
    ...actionRoutes,
    ...repoRoutes,
    ...accountRoutes,
    ...gitDataRoutes,
    ...commitRoutes,
    ...pullRoutes,
    ...checkRoutes,
    ...releaseRoutes,
  ].map((r) => [`${r.method} ${r.template}`, r]),
);

export interface RequestRecord {
  readonly method: string;
  readonly path: string;
  readonly template: string | null;
  readonly status: number | 'dropped';
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class GitHubSurrogate extends SurrogateWorld {
  readonly faults: Faults;
  readonly requests: RequestRecord[] = [];
  readonly options: SurrogateOptions = { dispatchRunDetails: true };
  private readonly problems: string[] = [];
  private readonly validator = githubOpenApi();

  private constructor(
    state: GitHubState,
    private readonly server: Server,
    readonly url: string,
    seed: number,
  ) {
    super(state);
    this.faults = new Faults(seed);
  }

  static async start(options: { seed?: number } = {}): Promise<GitHubSurrogate> {
    const state = new GitHubState(await nacl());
    const app = express();
    let surrogate: GitHubSurrogate | null = null;
    app.use(express.json({ type: () => true, strict: false, limit: '1mb' }));
    app.use((req, res) => {
      if (!surrogate) throw new Error('surrogate not started');
      const self = surrogate;
      // A surrogate fault (not GitHub's answer) fails the test and still answers, so no client waits forever.
      self.handle(req, res).catch((err: unknown) => {
        self.problems.push(`surrogate failed on ${req.method} ${req.path}: ${String(err)}`);
        if (!res.headersSent) res.status(500).end();
      });
    });
    const server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('surrogate has no port');
    surrogate = new GitHubSurrogate(state, server, `http://127.0.0.1:${address.port}`, options.seed ?? 1);
    return surrogate;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
    await this.state.git.remove();
  }

  inject(fault: Fault): void {
    this.faults.add(fault);
  }

  // ---- observations --------------------------------------------------------------------------

  /** The plaintext of a stored secret, opened with the scope's private key (proves correct sealing). */
  secretValue(scope: SecretScope, name: string): string | null {
    const secret = scope.secrets.get(name);
    return secret ? this.state.open(scope, secret.encrypted_value) : null;
  }

  /** Writes the surrogate accepted (faulted requests are not writes). */
  writes(scope?: SecretScope, name?: string): AcceptedWrite[] {
    return this.state.writes.filter((w) => (!scope || w.scope === scope.scope) && (!name || w.name === name));
  }

  count(method: string, pathPattern: RegExp, status?: number): number {
    return this.requests.filter(
      (r) =>
        r.method === method.toUpperCase() && pathPattern.test(r.path) && (status === undefined || r.status === status),
    ).length;
  }

  violations(): readonly string[] {
    return [...this.problems];
  }

  /** Fails the calling test with every contract violation seen so far, then forgets them. */
  expectNoViolations(): void {
    const found = this.problems.splice(0);
    if (found.length > 0)
      throw new Error(`GitHub surrogate saw ${found.length} OpenAPI/contract violation(s):\n${found.join('\n')}`);
  }

  // ---- request handling ----------------------------------------------------------------------

  private async handle(req: Request, res: Response): Promise<void> {
    const path = req.path;
    const query = req.query as Record<string, unknown>;
    const matched = this.validator.match(req.method, path);
    const record = (status: number | 'dropped') => {
      this.requests.push({ method: req.method, path, template: matched?.template ?? null, status });
    };
    // body-parser turns an empty body (content-length: 0) into {}: that is no body.
    const empty =
      req.headers['content-length'] === '0' ||
      (req.headers['content-length'] === undefined && !req.headers['transfer-encoding']);
    const body: unknown = empty ? undefined : req.body;
    this.problems.push(
      ...this.validator.validateRequest({
        method: req.method,
        path,
        query,
        body,
        contentType: req.headers['content-type'],
      }),
    );

    const faults = this.faults.pick(req.method, path);
    for (const fault of faults) {
      if (fault.kind === 'latency') await sleep(fault.ms);
    }
    const failure = faults.find((f) => f.kind !== 'latency');
    if (failure?.kind === 'drop') {
      record('dropped');
      req.socket.destroy();
      return;
    }

    let reply: Reply;
    let account: Account | undefined;
    try {
      account = this.authenticate(req);
      if (failure) reply = faultReply(failure);
      else reply = await this.dispatch(req, matched, account, query, body);
    } catch (err) {
      if (!(err instanceof GitHubHttpError)) throw err;
      reply = { status: err.status, body: err.body, headers: err.headers };
    }
    if (account && reply.status !== 401) {
      if (!(matched?.template === '/rate_limit')) account.used += 1;
      reply = { ...reply, headers: { ...accountHeaders(account, reply), ...reply.headers } };
    }
    if (matched) this.problems.push(...this.validator.validateResponse(matched, reply.status, reply.body));
    record(reply.status);
    res.status(reply.status).set({
      'x-github-request-id': `SURROGATE:${this.requests.length}`,
      'x-github-api-version-selected': '2022-11-28',
      ...reply.headers,
    });
    if (reply.body === undefined) res.end();
    else res.json(reply.body);
  }

  private authenticate(req: Request): Account {
    const header = req.headers.authorization ?? '';
    const token = /^(?:token|bearer)\s+(\S+)$/i.exec(header)?.[1];
    if (!token) throw new GitHubHttpError(401, 'Requires authentication');
    const account = this.state.accountByToken(token);
    if (!account) throw new GitHubHttpError(401, 'Bad credentials');
    return account;
  }

  private async dispatch(
    req: Request,
    matched: MatchedOperation | null,
    account: Account,
    query: Record<string, unknown>,
    body: unknown,
  ): Promise<Reply> {
    const route = matched ? ROUTES.get(`${matched.method} ${matched.template}`) : undefined;
    if (!matched || !route) {
      if (matched)
        this.problems.push(
          `surrogate does not implement ${matched.method.toUpperCase()} ${matched.template} (${req.method} ${req.path})`,
        );
      throw new GitHubHttpError(404, 'Not Found');
    }
    if (route.scopes.length > 0 && !route.scopes.some((s) => account.scopes.includes(s))) {
      throw new GitHubHttpError(
        403,
        'Resource not accessible by personal access token',
        {},
        { 'x-accepted-oauth-scopes': route.scopes.join(', ') },
      );
    }
    const request: RouteRequest = {
      params: matched.pathParams,
      query,
      body: (body ?? {}) as Record<string, unknown>,
      account,
      state: this.state,
      options: this.options,
      violation: (message) => this.problems.push(message),
    };
    const repo = this.state.repo(matched.pathParams['owner'] ?? '', matched.pathParams['repo'] ?? '');
    const reply = repo
      ? await this.state.git.exclusive(repo.id, async () => route.handle(request))
      : await route.handle(request);
    return { ...reply, headers: { 'x-accepted-oauth-scopes': route.scopes.join(', '), ...reply.headers } };
  }
}
