/** deployctl's entry point (bin/deployctl.mjs): parse, run the command, print a failure as the API says it. */
import { describeFailure } from './errors';
import { buildProgram } from './program';

export async function main(argv: readonly string[]): Promise<void> {
  // A reader that stopped reading (`deployctl status x | head -3`) ends the command quietly, as other CLIs do,
  // rather than with Node's unhandled EPIPE and its stack.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    process.exit(process.exitCode ?? 0);
  });
  try {
    await buildProgram().parseAsync([...argv]);
  } catch (err) {
    const { lines, exitCode } = describeFailure(err);
    process.stderr.write(`${lines.join('\n')}\n`);
    process.exitCode = exitCode;
  }
}
