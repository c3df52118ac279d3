/** What a surrogate route is: a documented GitHub operation, the scopes it accepts, and a handler. */
import type { Account, GitHubState } from '../state';

export interface RouteRequest {
  readonly params: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, unknown>>;
  readonly body: Record<string, unknown>;
  readonly account: Account;
  readonly state: GitHubState;
  readonly options: SurrogateOptions;
  /** Records a contract violation that fails the test (e.g. a secret not sealed to the key it names). */
  violation(message: string): void;
}

export interface SurrogateOptions {
  /** Newer API: `return_run_details: true` gets a 200 with the run. False: a 400 for that field, as older servers answer. */
  dispatchRunDetails: boolean;
}

export interface Reply {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface Route {
  readonly method: 'get' | 'put' | 'post' | 'patch' | 'delete';
  /** The path template exactly as GitHub's OpenAPI description spells it. */
  readonly template: string;
  /** OAuth scopes that grant access (any one of them); empty: any token. */
  readonly scopes: readonly string[];
  handle(req: RouteRequest): Reply | Promise<Reply>;
}

export const DOCS = 'https://docs.github.com/rest';

/** An error answer in GitHub's shape. */
export class GitHubHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Readonly<Record<string, unknown>> = {},
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }

  get body(): Record<string, unknown> {
    return { message: this.message, documentation_url: DOCS, ...this.extra, status: String(this.status) };
  }
}

export const notFound = (): GitHubHttpError => new GitHubHttpError(404, 'Not Found');
export const unprocessable = (message: string, errors?: readonly Record<string, unknown>[]): GitHubHttpError =>
  new GitHubHttpError(422, message, errors ? { errors } : {});

export function page<T>(items: readonly T[], query: Readonly<Record<string, unknown>>): T[] {
  const perPage = Math.min(Number(query['per_page'] ?? 30) || 30, 100);
  const pageNo = Math.max(Number(query['page'] ?? 1) || 1, 1);
  return items.slice((pageNo - 1) * perPage, pageNo * perPage);
}
