/**
 * The Temporal SDK's logger (Runtime.install) over ours, so the worker's lines take the same
 * format and level as the API's. What workflows and activities log (a run's events, and each
 * attempt of a node's operation: src/activities/node-log.ts) keeps its level; the SDK's own messages (bundling,
 * worker state, the Rust core) are one level quieter: visible from LOG_LEVEL=debug on.
 */
import type { Logger as SdkLogger, LogLevel as SdkLevel, LogMetadata } from '@temporalio/worker';
import type { Logger } from 'pino';

type PinoLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

const OWN: Readonly<Record<SdkLevel, PinoLevel>> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};
const QUIETER: Readonly<Record<SdkLevel, PinoLevel>> = {
  TRACE: 'trace',
  DEBUG: 'trace',
  INFO: 'debug',
  WARN: 'warn',
  ERROR: 'error',
};
/** Components whose messages are ours: workflow.log and an activity's Context.log. */
const OURS = new Set(['workflow', 'activity']);

/**
 * An activity's lines without the SDK's `taskToken` attribute: about 150 characters on each line that nobody reads
 * there, and a token with which anyone who can reach the frontend may complete or fail that activity.
 */
function withoutTaskToken(meta: LogMetadata): LogMetadata {
  if (!('taskToken' in meta)) return meta;
  const rest = { ...meta };
  delete rest['taskToken'];
  return rest;
}

export class SdkLogAdapter implements SdkLogger {
  constructor(private readonly logger: Logger) {}

  log(level: SdkLevel, message: string, meta: LogMetadata = {}): void {
    const pinoLevel = (OURS.has(String(meta['sdkComponent'])) ? OWN : QUIETER)[level];
    if (this.logger.isLevelEnabled(pinoLevel)) this.logger[pinoLevel](withoutTaskToken(meta), message);
  }

  trace(message: string, meta?: LogMetadata): void {
    this.log('TRACE', message, meta);
  }
  debug(message: string, meta?: LogMetadata): void {
    this.log('DEBUG', message, meta);
  }
  info(message: string, meta?: LogMetadata): void {
    this.log('INFO', message, meta);
  }
  warn(message: string, meta?: LogMetadata): void {
    this.log('WARN', message, meta);
  }
  error(message: string, meta?: LogMetadata): void {
    this.log('ERROR', message, meta);
  }
}
