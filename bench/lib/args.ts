/** Command-line flags shared by bench and chaos: `--quick`, `--seed N` and (bench) `--peer opentofu`. */
import type { Report } from './report';

export interface BenchArgs {
  readonly quick: boolean;
  readonly seed: number;
  /** `--peer opentofu`: measure OpenTofu beside this project (the full profile does when it can). */
  readonly peer: boolean;
}

const VALUED = new Set(['--seed', '--peer']);

export function parseArgs(argv: readonly string[] = process.argv.slice(2)): BenchArgs {
  const seedAt = argv.indexOf('--seed');
  const seed = seedAt >= 0 ? Number(argv[seedAt + 1]) : 42;
  if (!Number.isInteger(seed)) throw new Error('--seed takes an integer');
  const peerAt = argv.indexOf('--peer');
  if (peerAt >= 0 && argv[peerAt + 1] !== 'opentofu') throw new Error('--peer takes `opentofu`');
  const unknown = argv.filter((a, i) => a !== '--quick' && !VALUED.has(a) && !VALUED.has(argv[i - 1] ?? ''));
  if (unknown.length > 0)
    throw new Error(`unknown argument(s): ${unknown.join(' ')} (use --quick, --seed N, --peer opentofu)`);
  return { quick: argv.includes('--quick'), seed, peer: peerAt >= 0 };
}

/** Runs a section, timing it and logging progress to stderr so the table on stdout stays clean. */
export async function section<T>(name: string, run: () => Promise<T> | T): Promise<T> {
  const began = performance.now();
  console.error(`▶ ${name}…`);
  const out = await run();
  console.error(`  ${name} done in ${((performance.now() - began) / 1000).toFixed(1)} s`);
  return out;
}

/** A section whose failure is reported (a row and a note) instead of losing every other section's results. */
export async function measured(report: Report, name: string, run: () => Promise<void>): Promise<void> {
  try {
    await section(name, run);
  } catch (err) {
    const why = err instanceof Error ? (err.message.split('\n')[0] ?? err.message) : String(err);
    console.error(err instanceof Error ? err.stack : err);
    report.rows.push({ section: name, metric: 'FAILED', value: why });
    report.notes.push(`${name} failed: ${why}`);
  }
}

/** What every result file says about the run that wrote it. */
export const runMeta = (args: BenchArgs, began: number): Record<string, string> => ({
  profile: args.quick ? 'quick' : 'full',
  seed: String(args.seed),
  duration: `${((performance.now() - began) / 1000).toFixed(0)} s`,
});

/** Runs a script's main and exits (workers and connections would otherwise keep the process alive). */
export function runScript(main: () => Promise<void>): void {
  main().then(
    () => process.exit(process.exitCode ?? 0),
    (err: unknown) => {
      console.error(err instanceof Error ? err.stack : err);
      process.exit(1);
    },
  );
}
