/**
 * A loopback proxy that lets a request reach its server but holds back the answer: the effect
 * happens, the caller never learns it. Worker-kill tests hold the answer to the call that makes the
 * effect, then SIGKILL the worker, so the retried activity must find that effect instead of making
 * it again. Each of `holds` holds the first request it matches; `reached[i]` resolves once the
 * server has answered that one.
 */
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HoldingProxy {
  readonly url: string;
  readonly reached: readonly Promise<void>[];
  close(): Promise<void>;
}

export async function holdingProxy(
  target: string,
  holds: readonly ((req: IncomingMessage) => boolean)[],
): Promise<HoldingProxy> {
  const held = holds.map(() => false);
  const signals = holds.map(() => {
    let resolve: () => void = () => undefined;
    const promise = new Promise<void>((r) => {
      resolve = r;
    });
    return { promise, resolve };
  });
  const server: Server = createServer((req, res) => {
    const index = holds.findIndex((matches, i) => !held[i] && matches(req));
    if (index >= 0) held[index] = true;
    const upstream = request(`${target}${req.url ?? ''}`, { method: req.method, headers: req.headers }, (answer) => {
      if (index >= 0) {
        answer.resume();
        answer.once('end', () => signals[index]?.resolve());
        return;
      }
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.once('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    reached: signals.map((s) => s.promise),
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
