/**
 * Temporal's transport failures are 503s that say to retry, never 500s (src/api/errors/temporal-errors.ts): a call
 * the server could not be reached for, ran out of time on, or that was cut off on the way, directly or as the cause
 * of the client's ServiceError.
 */
import { ServiceError } from '@temporalio/client';
import { UnavailableError } from '../../src/api/errors/api-errors';
import { fromTemporal } from '../../src/api/errors/temporal-errors';

/** What @grpc/grpc-js rejects a call with. */
const grpcError = (code: number, details: string): Error =>
  Object.assign(new Error(`${code} ${details}`), { code, details, metadata: {} });

it.each([
  [14, 'No connection established'],
  [4, 'Deadline exceeded'],
  [1, 'Call cancelled'],
])('gRPC status %i (%s), alone or under a ServiceError, is a 503', (code, details) => {
  const wrapped = new ServiceError('Failed to query Workflow', { cause: grpcError(code, details) });
  for (const err of [grpcError(code, details), wrapped]) {
    const mapped = fromTemporal(err);
    expect(mapped).toBeInstanceOf(UnavailableError);
    expect(mapped?.status).toBe(503);
  }
});

it('leaves other gRPC failures to the error middleware (a 500)', () => {
  expect(fromTemporal(grpcError(13, 'Internal'))).toBeNull();
});
