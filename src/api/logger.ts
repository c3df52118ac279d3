/**
 * Structured logs (pino). Keys, sealed credentials and sealed secret values are redacted
 * wherever they appear in a logged object, so a request or error logged whole stays safe.
 */
import pino, { type Logger } from 'pino';

const SEALED_FIELDS = [
  'encrypted_secret_access_key',
  'encrypted_session_token',
  'encrypted_pat',
  'encrypted_webhook_url',
  'encrypted_value',
  'sealed_value',
];

export const REDACT_PATHS: readonly string[] = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'credentials',
  '*.credentials',
  '*.*.credentials',
  ...SEALED_FIELDS.flatMap((field) => [field, `*.${field}`, `*.*.${field}`, `*.*.*.${field}`]),
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = { level, redact: { paths: [...REDACT_PATHS], censor: '[redacted]' } };
  return destination ? pino(options, destination) : pino(options);
}
