/** Waiting for a cluster process to say it is ready, in its log, or failing with the log's end. */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { Child } from './child';

const POLL_MS = 200;
const TAIL_CHARS = 3_000;

export class ClusterStartError extends Error {
  override readonly name = 'ClusterStartError';
}

/**
 * Resolves when `ready(log)` holds, `log` being what the child wrote to its log file since it
 * started; rejects when the process exits first or `timeoutMs` passes.
 */
export async function waitFor(
  what: string,
  child: Child,
  ready: (log: string) => boolean | Promise<boolean>,
  timeoutMs = 120_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const logFile = child.log?.file ?? '(no log file)';
  const log = (): string => (child.log ? readFrom(child.log.file, child.log.from) : '');
  for (;;) {
    if (await ready(log())) return;
    if (!child.running()) {
      const how = await child.exited;
      throw new ClusterStartError(
        `${what} exited (${how}) before it was ready; ${logFile} ends:\n${log().slice(-TAIL_CHARS)}`,
      );
    }
    if (Date.now() > deadline)
      throw new ClusterStartError(
        `${what} not ready after ${timeoutMs / 1000} s; ${logFile} ends:\n${log().slice(-TAIL_CHARS)}`,
      );
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

function readFrom(file: string, from: number): string {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(Math.max(0, fstatSync(fd).size - from));
    readSync(fd, buffer, 0, buffer.length, from);
    return buffer.toString('utf8');
  } finally {
    closeSync(fd);
  }
}
