/** Command-line flags shared by bench and chaos: `--quick` and `--seed N`. */
export interface BenchArgs {
  readonly quick: boolean;
  readonly seed: number;
}

export function parseArgs(argv: readonly string[] = process.argv.slice(2)): BenchArgs {
  const seedAt = argv.indexOf('--seed');
  const seed = seedAt >= 0 ? Number(argv[seedAt + 1]) : 42;
  if (!Number.isInteger(seed)) throw new Error('--seed takes an integer');
  const unknown = argv.filter((a, i) => a !== '--quick' && a !== '--seed' && argv[i - 1] !== '--seed');
  if (unknown.length > 0) throw new Error(`unknown argument(s): ${unknown.join(' ')} (use --quick, --seed N)`);
  return { quick: argv.includes('--quick'), seed };
}

/** Runs a section, timing it and logging progress to stderr so the table on stdout stays clean. */
export async function section<T>(name: string, run: () => Promise<T> | T): Promise<T> {
  const began = performance.now();
  console.error(`▶ ${name}…`);
  const out = await run();
  console.error(`  ${name} done in ${((performance.now() - began) / 1000).toFixed(1)} s`);
  return out;
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
