/** Seed 003's error names: the mapping from every error_type a node can record, and what a node's error holds. */
import { errorName, nodeError } from '../../src/model/error-names';

it('names every error_type a node records, provider classes by the seed, the rest as its catch-all server_error', () => {
  const types = ['auth', 'permission', 'not_found', 'invalid_input', 'reference', 'conflict', 'rate_limited'];
  const others = ['unavailable', 'operation_failed', 'drift', 'cancelled', 'timeout', 'error'];
  expect(Object.fromEntries([...types, ...others].map((type) => [type, errorName(type)]))).toEqual({
    auth: 'api_error',
    permission: 'forbidden',
    not_found: 'not_found',
    invalid_input: 'validation',
    reference: 'validation',
    conflict: 'conflict',
    rate_limited: 'rate_limited',
    unavailable: 'service_unavailable',
    operation_failed: 'server_error',
    drift: 'server_error',
    cancelled: 'server_error',
    timeout: 'server_error',
    error: 'server_error',
  });
});

it('gives a rate limit its remaining calls and reset, null when the provider did not say when', () => {
  expect(nodeError('slow down', 'rate_limited', { attempt: 2, reset_at: 1_800_000_000 })).toEqual({
    error: 'slow down',
    error_type: 'rate_limited',
    error_name: 'rate_limited',
    error_rate_limit: { remaining: 0, reset_at: 1_800_000_000 },
  });
  expect(nodeError('Rate exceeded', 'rate_limited').error_rate_limit).toEqual({ remaining: 0, reset_at: null });
  expect(nodeError('no', 'permission', { attempt: 1 }).error_rate_limit).toBeNull();
});
