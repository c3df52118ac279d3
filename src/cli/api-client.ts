/** The REST API over HTTP: JSON in and out, API errors as ApiCallError, an unreachable service as a CliError. */
import type { Connection } from './connection';
import { ApiCallError, CliError, type ApiErrorBody } from './errors';

export type Query = Readonly<Record<string, string | number | undefined>>;

export interface RequestInit {
  readonly query?: Query;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export class ApiClient {
  constructor(readonly connection: Connection) {}

  address(path: string, query: Query = {}): string {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) if (value !== undefined) params.set(name, String(value));
    const search = params.toString();
    return `${this.connection.url}${path}${search ? `?${search}` : ''}`;
  }

  headers(extra: Readonly<Record<string, string>> = {}): Record<string, string> {
    const { apiKey } = this.connection;
    return { ...(apiKey ? { Authorization: `Bearer ${apiKey}` } : {}), ...extra };
  }

  /** A request whose answer is not read yet (the event stream reads it as it comes). */
  async send(method: string, path: string, init: RequestInit = {}) {
    const address = this.address(path, init.query);
    const json = init.body === undefined ? {} : { 'Content-Type': 'application/json' };
    const response = await fetch(address, {
      method,
      headers: this.headers({ ...json, ...init.headers }),
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    }).catch((err: unknown) => {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new CliError(
        `could not reach ${address}: ${cause?.code ?? cause?.message ?? String(err)} (is the service running? set --url or DEPLOY_URL)`,
      );
    });
    if (!response.ok) throw new ApiCallError(response.status, await errorBody(response));
    return response;
  }

  async call<T>(method: 'GET' | 'POST' | 'DELETE', path: string, init: RequestInit = {}) {
    const response = await this.send(method, path, init);
    const text = await response.text();
    return (text ? JSON.parse(text) : null) as T;
  }

  get = <T>(path: string, query: Query = {}): Promise<T> => this.call<T>('GET', path, { query });
  post = <T>(path: string, body: unknown = {}, headers: Readonly<Record<string, string>> = {}): Promise<T> =>
    this.call<T>('POST', path, { body, headers });
}

async function errorBody(response: Response): Promise<ApiErrorBody> {
  const text = await response.text();
  try {
    return JSON.parse(text) as ApiErrorBody;
  } catch {
    return { error: { message: `the API answered ${response.status}: ${text.slice(0, 200)}` } };
  }
}
