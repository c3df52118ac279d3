/**
 * Where the CLI writes: results on stdout (one JSON object per line with --json), notes on stderr.
 * Colors and live redraw only on a terminal (and not with NO_COLOR or --json).
 */
import { createColors } from 'picocolors';

export type Colors = ReturnType<typeof createColors>;

export class Output {
  readonly tty: boolean;
  readonly color: Colors;

  constructor(
    readonly json: boolean,
    stream: { isTTY?: boolean } = process.stdout,
    env: NodeJS.ProcessEnv = process.env,
  ) {
    this.tty = Boolean(stream.isTTY) && !json;
    this.color = createColors(this.tty && !env['NO_COLOR']);
  }

  line(text = ''): void {
    process.stdout.write(`${text}\n`);
  }

  /** One NDJSON line. */
  record(value: unknown): void {
    process.stdout.write(`${JSON.stringify(value)}\n`);
  }

  note(text: string): void {
    process.stderr.write(`${text}\n`);
  }

  /** An API answer: as one JSON line with --json, else as the lines `human` makes of it. */
  show<T>(value: T, human: (value: T) => readonly string[]): void {
    if (this.json) this.record(value);
    else for (const text of human(value)) this.line(text);
  }
}
