/**
 * A client of several API instances, as a load balancer would be: each call goes to the next
 * instance in turn, and a call an instance cannot answer (refused connection, 502/503 while
 * Temporal restarts) is retried on the others until `patienceMs` passes.
 */
export interface Answer {
  readonly status: number;
  readonly body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON of many shapes
  readonly from: string;
}

const RETRY_MS = 500;

export class AnyApi {
  private next = 0;
  /** Calls that one instance failed and another answered. */
  failovers = 0;

  constructor(
    private readonly urls: () => readonly string[],
    private readonly patienceMs = 120_000,
  ) {}

  get(path: string): Promise<Answer> {
    return this.call('GET', path);
  }

  post(path: string, body?: unknown): Promise<Answer> {
    return this.call('POST', path, body);
  }

  private async call(method: string, path: string, body?: unknown): Promise<Answer> {
    const deadline = Date.now() + this.patienceMs;
    let last = '';
    for (let attempt = 0; ; attempt += 1) {
      const urls = this.urls();
      const url = urls[this.next++ % urls.length] as string;
      try {
        const response = await fetch(`${url}${path}`, {
          method,
          signal: AbortSignal.timeout(30_000),
          ...(body === undefined
            ? {}
            : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
        });
        const text = await response.text();
        if (response.status !== 502 && response.status !== 503) {
          if (attempt > 0) this.failovers += 1;
          return { status: response.status, body: text ? JSON.parse(text) : null, from: url };
        }
        last = `${url} answered ${response.status}: ${text.slice(0, 300)}`;
      } catch (err) {
        const cause = err instanceof Error && err.cause instanceof Error ? ` (${err.cause.message})` : '';
        last = `${url}: ${err instanceof Error ? err.message : String(err)}${cause}`;
      }
      if (Date.now() > deadline)
        throw new Error(`${method} ${path} unanswered for ${this.patienceMs / 1000} s; last: ${last}`);
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
  }
}
