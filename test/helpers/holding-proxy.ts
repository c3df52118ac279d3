/**
 * A loopback proxy that lets a request reach its server but holds back the answer: the effect
 * happens, the caller never learns it. Worker-kill tests hold the answer to the call that makes the
 * effect, then SIGKILL the worker, so the retried activity must find that effect instead of making
 * it again. Each of `holds` holds the first request it matches; `reached[i]` resolves once the
 * server has answered that one. With `{ forward: false }`, a held request never reaches the
 * server (the effect does not happen) and `reached[i]` resolves when it arrives. A hold sees the
 * request and its body (an AWS query API's `Action=…` is in the body).
 */
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HoldingProxy {
  readonly url: string;
  readonly reached: readonly Promise<void>[];
  close(): Promise<void>;
}

export async function holdingProxy(
  target: string,
  holds: readonly ((req: IncomingMessage, body: string) => boolean)[],
  { forward = true }: { readonly forward?: boolean } = {},
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
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.once('end', () => pass(req, res, Buffer.concat(chunks)));
  });
  const pass = (req: IncomingMessage, res: ServerResponse, body: Buffer): void => {
    const index = holds.findIndex((matches, i) => !held[i] && matches(req, body.toString()));
    if (index >= 0) held[index] = true;
    if (index >= 0 && !forward) {
      signals[index]?.resolve();
      return;
    }
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
    upstream.end(body);
  };
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
