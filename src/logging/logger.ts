/**
 * Logs (pino): a JSON object per line for machines (LOG_FORMAT=json, the default off a terminal),
 * or one short line per event for a person (pretty, the default on a terminal; pretty-line.ts).
 * Keys, sealed credentials and sealed secret values are redacted wherever they appear in a logged
 * object, so a request or error logged whole stays safe, in either format.
 */
import pino, { type Logger } from 'pino';
import { prettyLine } from './pretty-line';

const SEALED_FIELDS = [
  'encrypted_secret_access_key',
  'encrypted_session_token',
  'encrypted_pat',
  'encrypted_webhook_url',
  'encrypted_bot_token',
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

export type LogFormat = 'json' | 'pretty';

/** Where console logs go: stdout, or a test's stream. */
export interface ConsoleOut {
  readonly isTTY?: boolean | undefined;
  write(text: string): unknown;
}

/** The format asked for, else pretty on a terminal and JSON elsewhere (pipes, files, containers). */
export const logFormatOf = (format: LogFormat | undefined, out: ConsoleOut): LogFormat =>
  format ?? (out.isTTY ? 'pretty' : 'json');

/** A stream that writes each record pino gives it (one JSON line) as a pretty line. */
function prettyDestination(out: ConsoleOut, color: boolean): pino.DestinationStream {
  return {
    write(line: string) {
      out.write(`${prettyLine(JSON.parse(line) as Record<string, unknown>, { color })}\n`);
    },
  };
}

/** The process's logger on `out` at `level`, in `format` (unset: logFormatOf's choice); colors on a terminal unless NO_COLOR. */
export function consoleLogger(
  settings: { readonly level: string; readonly format?: LogFormat | undefined },
  out: ConsoleOut = process.stdout,
): Logger {
  if (logFormatOf(settings.format, out) === 'json')
    return createLogger(settings.level, out === process.stdout ? undefined : out);
  const color = out.isTTY === true && process.env['NO_COLOR'] === undefined;
  return createLogger(settings.level, prettyDestination(out, color));
}
