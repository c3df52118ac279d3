/**
 * The SDK's gRPC retries for a client connection, made safe to close: the SDK retries a failed call
 * from a timer, and a retry whose timer fires after the connection closed throws "Channel has been
 * shut down" inside that timer, an uncaught exception in whatever runs next in the process (it failed
 * an unrelated test file that ran after one whose teardown closed its client mid-retry). `close`
 * decides no new retry and waits for the retries already scheduled to start before it closes.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { defaultGrpcRetryOptions, makeGrpcRetryInterceptor, type Connection } from '@temporalio/client';

export interface ClosableRetries {
  /** The retry interceptor for the connection's `interceptors`. */
  readonly interceptor: ReturnType<typeof makeGrpcRetryInterceptor>;
  /** Closes `connection` once no retry is scheduled on it any more. */
  close(connection: Connection): Promise<void>;
}

export function closableRetries(options?: Parameters<typeof defaultGrpcRetryOptions>[0]): ClosableRetries {
  const retries = defaultGrpcRetryOptions(options);
  let closing = false;
  let lastRetryAt = 0;
  return {
    interceptor: makeGrpcRetryInterceptor({
      retryableDecider: (attempt, status) => !closing && retries.retryableDecider(attempt, status),
      delayFunction: (attempt, status) => {
        const delay = retries.delayFunction(attempt, status);
        lastRetryAt = Math.max(lastRetryAt, Date.now() + delay);
        return delay;
      },
    }),
    async close(connection) {
      closing = true;
      const wait = lastRetryAt - Date.now();
      // Timers fire in deadline order: once this one has, every scheduled retry has made its call.
      if (wait >= 0) await sleep(wait + 1);
      await connection.close();
    },
  };
}
