/** A transport error is reported by its code or class, never by its message (which can quote a credential). */
import { transportReason } from '../../src/providers/transport-reason';

it('keeps the system code or the class name and drops the message', () => {
  const quoting = new TypeError('Headers.append: "token ghp_secret\r\n" is an invalid header value');
  expect(transportReason(quoting)).toBe('TypeError');
  expect(
    transportReason(Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:443 token=x'), { code: 'ECONNREFUSED' })),
  ).toBe('ECONNREFUSED');
  expect(transportReason(new TypeError('fetch failed', { cause: { code: 'ENOTFOUND' } }))).toBe('ENOTFOUND');
  expect(transportReason({ name: 'Error', message: 'from another realm', cause: { code: 'ECONNRESET' } })).toBe(
    'ECONNRESET',
  );
  expect(transportReason({ name: 'has spaces: ghp_secret', code: 'token ghp_secret' })).toBe('no answer');
  expect(transportReason('ghp_secret')).toBe('no answer');
});

it("does not read the code of an error with an HTTP status (Octokit's RequestError, whose code getter warns)", () => {
  const answered = Object.defineProperty({ name: 'HttpError', status: 500 }, 'code', {
    get: () => {
      throw new Error('error.code read');
    },
  });
  expect(transportReason(answered)).toBe('HttpError');
  expect(transportReason({ name: 'HttpError', status: 500, cause: { code: 'ECONNREFUSED' } })).toBe('ECONNREFUSED');
});
