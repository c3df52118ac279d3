/**
 * What a failed request that got no answer may say: its system code (`ECONNREFUSED`), else the
 * error's class (`TypeError`), never its message. A transport error's message can quote what was
 * being sent (Node's fetch quotes an invalid header value whole: `token <PAT>`), so it is never
 * passed on to node errors, logs or history. Read by shape: errors from another realm (Node's own
 * fetch seen from a test's sandbox) are not `instanceof Error` here. An error with an HTTP `status` (Octokit's
 * RequestError) has no system code of its own, and its `code` is a deprecated getter that prints a warning: not read.
 */
interface ErrorShape {
  readonly name?: unknown;
  readonly code?: unknown;
  readonly status?: unknown;
  readonly cause?: { readonly code?: unknown } | undefined;
}

const SYSTEM_CODE = /^[A-Z0-9_]{2,40}$/;
const CLASS_NAME = /^[A-Za-z]{1,40}$/;

export function transportReason(err: unknown): string {
  if (typeof err !== 'object' || err === null) return 'no answer';
  const shape = err as ErrorShape;
  const { name, cause } = shape;
  const systemCode = cause?.code ?? (shape.status === undefined ? shape.code : undefined);
  if (typeof systemCode === 'string' && SYSTEM_CODE.test(systemCode)) return systemCode;
  return typeof name === 'string' && CLASS_NAME.test(name) ? name : 'no answer';
}
