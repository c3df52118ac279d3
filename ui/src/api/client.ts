/**
 * The page's only way to the service: the public REST API, with the API key (when the service
 * has API_KEYS) in the Authorization header. Errors keep the API's own `{error: {type, message,
 * details}}` so pages can show the service's reason (a 409's, a 400's field) as it was given.
 */
import { apiKey } from './key';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly details?: unknown,
    /** The whole answer, for pages that show more than the message (e.g. a plan's validation_errors). */
    readonly body?: unknown,
  ) {
    super(message);
  }
}

/** Fired on window when the service asks for a key (401) or refuses the one given. */
export const AUTH_REQUIRED = 'dashboard:auth-required';

export function headers(extra: Record<string, string> = {}): Record<string, string> {
  const key = apiKey.get();
  return { ...extra, ...(key ? { Authorization: `Bearer ${key}` } : {}) };
}

async function errorOf(response: Response): Promise<ApiError> {
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON (a proxy's page): the status line says enough.
  }
  const error = (body as { error?: { type?: string; message?: string; details?: unknown } } | null)?.error;
  return new ApiError(
    response.status,
    error?.type ?? 'http_error',
    error?.message ?? `${response.status} ${response.statusText}`,
    error?.details,
    body,
  );
}

export async function request<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const response = await fetch(path, {
    method,
    headers: headers(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) {
    const error = await errorOf(response);
    if (response.status === 401) window.dispatchEvent(new CustomEvent(AUTH_REQUIRED, { detail: error.message }));
    throw error;
  }
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

export const get = <T>(path: string): Promise<T> => request<T>('GET', path);
export const post = <T>(path: string, body: unknown = {}): Promise<T> => request<T>('POST', path, body);
export const del = <T>(path: string): Promise<T> => request<T>('DELETE', path);

/** A path segment or query value, encoded. */
export const q = encodeURIComponent;
