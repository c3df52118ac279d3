/**
 * What a failed request that got no answer may say: its system code (`ECONNREFUSED`), else the
 * error's class (`TypeError`), never its message. A transport error's message can quote what was
 * being sent (Node's fetch quotes an invalid header value whole: `token <PAT>`), so it is never
 * passed on to node errors, logs or history. Read by shape: errors from another realm (Node's own
 * fetch seen from a test's sandbox) are not `instanceof Error` here.
 */
interface ErrorShape {
  readonly name?: unknown;
  readonly code?: unknown;
  readonly cause?: { readonly code?: unknown } | undefined;
}

const SYSTEM_CODE = /^[A-Z0-9_]{2,40}$/;
const CLASS_NAME = /^[A-Za-z]{1,40}$/;

export function transportReason(err: unknown): string {
  if (typeof err !== 'object' || err === null) return 'no answer';
  const { name, code, cause } = err as ErrorShape;
  const systemCode = cause?.code ?? code;
  if (typeof systemCode === 'string' && SYSTEM_CODE.test(systemCode)) return systemCode;
  return typeof name === 'string' && CLASS_NAME.test(name) ? name : 'no answer';
}
