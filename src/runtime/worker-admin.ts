/**
 * The worker's small admin port (WORKER_ADMIN_PORT), seed 002's worker endpoint: `POST
 * /workflows/reload` reads the step-package store now and loads what is current (a deploy is
 * picked up within PACKAGES_POLL_MS anyway, and a run loads what it needs on first use, so this is
 * for warming up); `GET /workflows` says what this worker has loaded. It accepts no code: the
 * worst a caller can do is make the worker read the store. It binds WORKER_ADMIN_HOST (default
 * 127.0.0.1).
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PackageAgent } from '../resources/packages/package-agent';

export interface WorkerAdmin {
  /** `http://host:port` */
  readonly url: string;
  close(): Promise<void>;
}

function answer(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
}

const problem = (type: string, message: string) => ({ error: { type, message } });

export async function startWorkerAdmin(agent: PackageAgent, host: string, port: number): Promise<WorkerAdmin> {
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0];
    if (path === '/workflows/reload') {
      if (request.method !== 'POST') return answer(response, 405, problem('method_not_allowed', 'use POST'));
      agent.reload().then(
        (status) => answer(response, 200, { reloaded: true, ...status }),
        (err: unknown) =>
          answer(response, 503, problem('unavailable', `the package store could not be read: ${String(err)}`)),
      );
      return;
    }
    if (path === '/workflows') {
      if (request.method !== 'GET') return answer(response, 405, problem('method_not_allowed', 'use GET'));
      return answer(response, 200, agent.status());
    }
    answer(response, 404, problem('not_found', `no route ${request.method ?? ''} ${path ?? ''}`));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
