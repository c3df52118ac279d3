/**
 * A Temporal client connection closed while the SDK has a gRPC retry scheduled: the retry must not
 * fire on the closed channel ("Channel has been shut down", thrown from the SDK's timer, failed
 * whichever test ran next in the process). The calls here go to a port nothing listens on, so every
 * attempt fails UNAVAILABLE at once and the SDK keeps retrying every 100–500 ms.
 */
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Connection } from '@temporalio/client';
import { closableRetries } from '../../src/temporal/closable-retries';

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

it('closes with retries scheduled: the call fails, and no retry fires on the closed channel', async () => {
  const retries = closableRetries();
  const connection = Connection.lazy({
    address: `127.0.0.1:${await closedPort()}`,
    interceptors: [retries.interceptor],
  });
  const call = connection.workflowService.getSystemInfo({}).then(
    () => null,
    (err: Error) => err,
  );
  await sleep(300); // a few attempts have failed; the next is scheduled
  // A loaded event loop: its cached clock falls behind, and a retry's deadline can pass unserved.
  const busyUntil = Date.now() + 600;
  while (Date.now() < busyUntil);
  // Closed twice at once (a second shutdown signal, say): both return.
  await Promise.all([retries.close(connection), retries.close(connection)]);
  const error = await call;
  expect(error?.message).toMatch(/UNAVAILABLE|ECONNREFUSED|No connection established/);
  // Had a retry been left scheduled, it would throw from its timer here, failing this test.
  await sleep(1_500);
});
