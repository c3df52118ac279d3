/**
 * The SDK's gRPC retries for a client connection, made safe to close: the SDK retries a failed call
 * from a timer, and a retry whose timer fires after the connection closed throws "Channel has been
 * shut down" inside that timer, an uncaught exception in whatever runs next in the process (it failed
 * an unrelated test file that ran after one whose teardown closed its client mid-retry). `close`
 * decides no new retry and waits until every retry already scheduled has made its call.
 *
 * It counts them rather than waiting out their delays: a timer's deadline starts from the event
 * loop's cached clock, so under load a sleep of the same delay can fire before a retry's timer.
 */
import { defaultGrpcRetryOptions, makeGrpcRetryInterceptor, type Connection } from '@temporalio/client';

type Interceptor = ReturnType<typeof makeGrpcRetryInterceptor>;

export interface ClosableRetries {
  /** The retry interceptor for the connection's `interceptors`. */
  readonly interceptor: Interceptor;
  /** Closes `connection` once no retry is scheduled on it any more. */
  close(connection: Connection): Promise<void>;
}

export function closableRetries(options?: Parameters<typeof defaultGrpcRetryOptions>[0]): ClosableRetries {
  const retries = defaultGrpcRetryOptions(options);
  let closing = false;
  let scheduled = 0;
  let started = 0;
  let allStarted: (() => void) | undefined;
  let drained: Promise<void> | undefined;
  const retryInterceptor = makeGrpcRetryInterceptor({
    retryableDecider: (attempt, status) => !closing && retries.retryableDecider(attempt, status),
    delayFunction: (attempt, status) => {
      scheduled++;
      return retries.delayFunction(attempt, status);
    },
  });
  return {
    // Each call's attempts after its first are retries: count them as they reach the channel.
    interceptor: (callOptions, nextCall) => {
      let attempts = 0;
      return retryInterceptor(callOptions, (attemptOptions) => {
        const call = nextCall(attemptOptions);
        if (attempts++ > 0 && ++started === scheduled) allStarted?.();
        return call;
      });
    },
    async close(connection) {
      closing = true;
      // One wait for every caller: a second close must not take the first one's place.
      if (started < scheduled) await (drained ??= new Promise<void>((resolve) => (allStarted = resolve)));
      await connection.close();
    },
  };
}
