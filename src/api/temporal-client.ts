/**
 * The gateway's Temporal client: connects lazily and keeps reconnecting (short backoff), with few
 * gRPC retries, so a Temporal outage answers 503 within a second instead of crashing the API or
 * hanging requests, and the API recovers by itself when Temporal returns.
 */
import { Client, Connection } from '@temporalio/client';
import { closableRetries } from '../temporal/closable-retries';
import { dataConverter } from '../temporal/compression-codec';

export interface TemporalClient {
  readonly client: Client;
  close(): Promise<void>;
}

export function lazyTemporalClient(address: string, namespace: string): TemporalClient {
  const retries = closableRetries({ maxAttempts: 3 });
  const connection = Connection.lazy({
    address,
    interceptors: [retries.interceptor],
    channelArgs: { 'grpc.initial_reconnect_backoff_ms': 200, 'grpc.max_reconnect_backoff_ms': 2_000 },
  });
  return { client: new Client({ connection, namespace, dataConverter }), close: () => retries.close(connection) };
}
