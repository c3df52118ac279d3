/**
 * TEMPORAL_GRPC_COMPRESSION, through a proxy counting the bytes between a worker and the frontend: a worker connects
 * without transport compression by default (as every other test's worker does), and one set to gzip (for a frontend
 * across a slow or metered link) runs the same deployment in a fraction of the bytes.
 */
import { createConnection, createServer, type AddressInfo, type Socket } from 'node:net';
import type { Env } from '../../src/config/env';
import { connectWorker } from '../../src/worker';
import { config, delay, result, start, statusesByResource } from '../../support/deployments';
import { installQuietRuntime, startTestWorker, temporalAddress, testClient } from '../../support/temporal';

/** Forwards 127.0.0.1:<port> to the frontend, counting the bytes both ways. */
async function countingProxy(): Promise<{ address: string; bytes: () => number; close: () => Promise<void> }> {
  const [host, port] = temporalAddress().split(':');
  let bytes = 0;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = createConnection(Number(port), host);
    for (const [from, to] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      sockets.add(from);
      from.on('data', (chunk: Buffer) => (bytes += chunk.length));
      from.on('error', () => to.destroy());
      from.on('close', () => to.destroy());
      from.pipe(to);
    }
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  return {
    address: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    bytes: () => bytes,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((closed) => server.close(closed));
    },
  };
}

/** Bytes between a worker of `compression` and the frontend while it runs a deployment of 200 kB of outputs. */
async function bytesOfRun(compression: Env['TEMPORAL_GRPC_COMPRESSION']): Promise<number> {
  const proxy = await countingProxy();
  const connection = await connectWorker(proxy.address, compression);
  const worker = await startTestWorker({ connection });
  const { client, close } = await testClient();
  try {
    const text = 'the same line of a large output, again and again. '.repeat(4_000);
    const handle = await start(
      client,
      worker.taskQueue,
      config({ first: delay({ outputs: { text } }), second: delay({}, { depends_on: ['first'] }) }),
    );
    const status = await result(handle);
    expect([status.status, statusesByResource(status)]).toEqual([
      'completed',
      { first: 'completed', second: 'completed' },
    ]);
    return proxy.bytes();
  } finally {
    await worker.stop();
    await connection.close();
    await close();
    await proxy.close();
  }
}

beforeAll(() => installQuietRuntime()); // before a connection makes the SDK's runtime

it('connects without transport compression unless set to gzip, which moves the same run in fewer bytes', async () => {
  const plain = await bytesOfRun('none');
  const gzipped = await bytesOfRun('gzip');
  expect(plain).toBeGreaterThan(400_000); // the outputs, to the worker in the activity's input and back in its result
  expect(gzipped).toBeLessThan(plain / 4);
});
