/**
 * A GitHub REST API surrogate for tests (express on 127.0.0.1, a free port). Every request it
 * receives and every response it sends is checked against GitHub's OpenAPI description; each
 * violation is recorded (`violations()`), and `expectNoViolations()` fails the test with them.
 * Routes are looked up by the description's own path templates, so the surrogate cannot serve a
 * path GitHub does not have.
 */
import type { Server } from 'node:http';
import express, { type Request, type Response } from 'express';
import { nacl } from '../../../src/credentials/sealed-box';
import { Faults, type Fault, type FaultKind } from './faults';
import { githubOpenApi, type MatchedOperation } from './openapi-validator';
import { accountRoutes, RATE_LIMIT, resetEpochSeconds } from './routes/account';
import { actionRoutes } from './routes/actions';
import { createEnvironment, createRepository, repoRoutes } from './routes/repos';
import { GitHubHttpError, type Reply, type Route, type RouteRequest, type SurrogateOptions } from './routes/route';
import { secretRoutes } from './routes/secrets';
import {
  GitHubState,
  nodeId,
  timestamp,
  type Account,
  type AcceptedWrite,
  type Environment,
  type Organization,
  type Repository,
  type SecretScope,
  type Workflow,
  type WorkflowInput,
} from './state';

const ROUTES: ReadonlyMap<string, Route> = new Map(
  [...secretRoutes, ...actionRoutes, ...repoRoutes, ...accountRoutes].map((r) => [`${r.method} ${r.template}`, r]),
);

export interface RequestRecord {
  readonly method: string;
  readonly path: string;
  readonly template: string | null;
  readonly status: number | 'dropped';
}

export interface WorkflowOptions {
  readonly name?: string;
  readonly inputs?: Readonly<Record<string, WorkflowInput>>;
  readonly run_name?: string | null;
  readonly conclusion?: 'success' | 'failure';
  readonly queued_ms?: number;
  readonly running_ms?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class GitHubSurrogate {
  readonly faults: Faults;
  readonly requests: RequestRecord[] = [];
  readonly options: SurrogateOptions = { dispatchRunDetails: true };
  private readonly problems: string[] = [];
  private readonly validator = githubOpenApi();

  private constructor(
    readonly state: GitHubState,
    private readonly server: Server,
    readonly url: string,
    seed: number,
  ) {
    this.faults = new Faults(seed);
  }

  static async start(options: { seed?: number } = {}): Promise<GitHubSurrogate> {
    const state = new GitHubState(await nacl());
    const app = express();
    let surrogate: GitHubSurrogate | null = null;
    app.use(express.json({ type: () => true, strict: false, limit: '1mb' }));
    app.use((req, res) => {
      if (!surrogate) throw new Error('surrogate not started');
      void surrogate.handle(req, res);
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
  }

  // ---- seeding -------------------------------------------------------------------------------

  addAccount(login: string, options: { scopes?: readonly string[]; token?: string } = {}): Account {
    const account: Account = {
      id: this.state.id(),
      login,
      token: options.token ?? `ghp_${login}_${this.state.id()}`,
      scopes: options.scopes ?? ['repo', 'workflow'],
      used: 0,
    };
    this.state.accounts.set(login.toLowerCase(), account);
    return account;
  }

  addOrg(login: string, admins: readonly Account[]): Organization {
    const org: Organization = {
      id: this.state.id(),
      login,
      admins: new Set(admins.map((a) => a.login)),
      scope: `org:${login}`,
      key: this.state.keyPair(),
      secrets: new Map(),
    };
    this.state.orgs.set(login.toLowerCase(), org);
    return org;
  }

  addRepo(owner: Account | Organization, name: string, options: { private?: boolean } = {}): Repository {
    return createRepository({ state: this.state }, owner, name, options);
  }

  addEnvironment(repo: Repository, name: string): Environment {
    return createEnvironment({ state: this.state }, repo, name);
  }

  addWorkflow(repo: Repository, file: string, options: WorkflowOptions = {}): Workflow {
    const id = this.state.id();
    const wf: Workflow = {
      id,
      node_id: nodeId('Workflow', id),
      name: options.name ?? file.replace(/\.ya?ml$/, ''),
      path: `.github/workflows/${file}`,
      inputs: options.inputs ?? {},
      run_name: options.run_name ?? null,
      conclusion: options.conclusion ?? 'success',
      queued_ms: options.queued_ms ?? 50,
      running_ms: options.running_ms ?? 200,
      created_at: timestamp(),
    };
    repo.workflows.push(wf);
    return wf;
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
      if (failure) reply = this.faultReply(failure);
      else reply = this.dispatch(req, matched, account, query, body);
    } catch (err) {
      if (!(err instanceof GitHubHttpError)) throw err;
      reply = { status: err.status, body: err.body, headers: err.headers };
    }
    if (account && reply.status !== 401) {
      if (!(matched?.template === '/rate_limit')) account.used += 1;
      reply = { ...reply, headers: { ...this.accountHeaders(account, reply), ...reply.headers } };
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

  private dispatch(
    req: Request,
    matched: MatchedOperation | null,
    account: Account,
    query: Record<string, unknown>,
    body: unknown,
  ): Reply {
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
    const reply = route.handle(request);
    return { ...reply, headers: { 'x-accepted-oauth-scopes': route.scopes.join(', '), ...reply.headers } };
  }

  private faultReply(fault: FaultKind): Reply {
    const resetIn =
      fault.kind === 'rate_limit_403' || fault.kind === 'rate_limit_429' ? (fault.reset_in_ms ?? 1_000) : 0;
    const reset = String(Math.ceil((Date.now() + resetIn) / 1000));
    switch (fault.kind) {
      case 'status':
        return {
          status: fault.status ?? 502,
          body: { message: 'Server Error', documentation_url: 'https://docs.github.com/rest' },
        };
      case 'rate_limit_403':
        return {
          status: 403,
          body: {
            message: 'API rate limit exceeded for user.',
            documentation_url: 'https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting',
          },
          headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset },
        };
      case 'rate_limit_429':
        return {
          status: 429,
          body: {
            message: 'API rate limit exceeded for user.',
            documentation_url: 'https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting',
          },
          headers: {
            'x-ratelimit-remaining': '0',
            'x-ratelimit-reset': reset,
            'retry-after': String(Math.ceil(resetIn / 1000)),
          },
        };
      default:
        throw new Error(`fault ${fault.kind} has no reply`);
    }
  }

  private accountHeaders(account: Account, reply: Reply): Record<string, string> {
    const remaining = Math.max(0, RATE_LIMIT - account.used);
    return {
      'x-oauth-scopes': account.scopes.join(', '),
      'x-ratelimit-limit': String(RATE_LIMIT),
      'x-ratelimit-remaining': reply.headers?.['x-ratelimit-remaining'] ?? String(remaining),
      'x-ratelimit-used': String(account.used),
      'x-ratelimit-reset': reply.headers?.['x-ratelimit-reset'] ?? String(resetEpochSeconds()),
      'x-ratelimit-resource': 'core',
    };
  }
}
