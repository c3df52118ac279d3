/**
 * A run's live events (GET /deploy/events/{id}, Server-Sent Events) read with fetch rather than
 * EventSource, which cannot send the API key. The stream ends when the run ends; at the server's
 * maximum lifetime it says `reconnect`, and a dropped connection is retried: both reconnect after
 * the server's `retry:` (else 2 s) until the run finishes or the caller aborts.
 */
import { headers, q } from './client';

export interface StreamEvent {
  readonly event: string;
  readonly data: unknown;
}

/** Splits an SSE byte stream into events (event: / data: / retry: fields, blank-line separated). */
export class SseParser {
  private buffer = '';
  retryMs: number | null = null;

  push(chunk: string): StreamEvent[] {
    this.buffer += chunk;
    const events: StreamEvent[] = [];
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') event = value;
        else if (field === 'data') data.push(value);
        else if (field === 'retry' && /^\d+$/.test(value)) this.retryMs = Number(value);
      }
      if (data.length === 0) continue;
      const text = data.join('\n');
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // A plain-text data line: given as it is.
      }
      events.push({ event, data: parsed });
    }
    return events;
  }
}

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });

/**
 * Follows a run's events until it finishes (`run_finished`), the server refuses the stream (an
 * `error` event or a 4xx: given to onEvent as `error`), or `signal` aborts.
 */
export async function followRun(
  id: string,
  onEvent: (event: StreamEvent) => void,
  signal: AbortSignal,
  runId?: string,
): Promise<void> {
  const path = `/deploy/events/${q(id)}${runId ? `?run_id=${q(runId)}` : ''}`;
  const parser = new SseParser();
  while (!signal.aborted) {
    let finished = false;
    try {
      const response = await fetch(path, { headers: headers({ Accept: 'text/event-stream' }), signal });
      if (response.status >= 400 && response.status < 500) {
        const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
        onEvent({
          event: 'error',
          data: { status: response.status, message: body?.error?.message ?? response.statusText },
        });
        return;
      }
      const reader = response.body?.pipeThrough(new TextDecoderStream()).getReader();
      while (reader) {
        const { value, done } = await reader.read();
        if (done) break;
        for (const event of parser.push(value)) {
          onEvent(event);
          if (event.event === 'run_finished' || event.event === 'error') finished = true;
        }
      }
    } catch {
      // The connection dropped (or the caller aborted): reconnect below unless aborted.
    }
    if (finished) return;
    await sleep(parser.retryMs ?? 2_000, signal);
  }
}
