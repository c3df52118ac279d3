/**
 * A step-package version's own thread (package-threads.ts starts it with the version): loads the
 * version from the store folder and runs each operation it is posted, passing the operation's
 * log lines and heartbeats back and aborting it when told. Answers a ping at once whenever its
 * event loop is free: a package that keeps it busy is found out by the pings it leaves unanswered.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { DefinedResourceType, PackageContext } from '../../sdk';
import { definedTypes, evaluatePackage, messageOf } from './package-loader';
import { PackageStore } from './package-store';
import type { FromThread, ThreadError, ToThread } from './package-thread-messages';

const port = parentPort;
if (!port) throw new Error('src/resources/packages/package-thread runs as a worker thread only');
const { dir, hash } = workerData as { dir: string; hash: string };
const types = new Map<string, DefinedResourceType>(
  definedTypes(evaluatePackage(new PackageStore(dir).readVersion(hash))).map((t) => [t.type, t]),
);
const running = new Map<number, AbortController>();

const send = (message: FromThread): void => port.postMessage(message);

function threadError(err: unknown): ThreadError {
  const e = err as { name?: unknown; type?: unknown; retryable?: unknown; retryAfterMs?: unknown } | null;
  const classified = e?.name === 'OperationError' && typeof e.type === 'string';
  return {
    message: messageOf(err),
    operationError: classified
      ? {
          type: String(e.type),
          retryable: e.retryable === true,
          ...(typeof e.retryAfterMs === 'number' ? { retryAfterMs: e.retryAfterMs } : {}),
        }
      : null,
  };
}

async function call(message: Extract<ToThread, { kind: 'call' }>): Promise<void> {
  const controller = new AbortController();
  running.set(message.id, controller);
  const ctx: PackageContext = {
    log: (text) => send({ kind: 'log', id: message.id, message: String(text) }),
    heartbeat: (details) => send({ kind: 'heartbeat', id: message.id, details }),
    signal: controller.signal,
    attempt: message.attempt,
  };
  try {
    const defined = types.get(message.type);
    if (!defined) throw new Error(`${message.type} is not a type of this package version`);
    const operation = defined[message.operation] as
      | ((c: PackageContext, t: typeof message.target, extra: unknown) => Promise<unknown>)
      | undefined;
    if (!operation) throw new Error(`${message.type} defines no ${message.operation}`);
    const value = await operation.call(defined, ctx, message.target, message.extra);
    send({ kind: 'done', id: message.id, value });
  } catch (err) {
    send({ kind: 'failed', id: message.id, error: threadError(err) });
  } finally {
    running.delete(message.id);
  }
}

port.on('message', (message: ToThread) => {
  if (message.kind === 'ping') send({ kind: 'pong' });
  else if (message.kind === 'cancel') running.get(message.id)?.abort();
  else void call(message);
});
send({ kind: 'ready' });
