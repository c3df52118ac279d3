/** deployctl's entry point (bin/deployctl.mjs): parse, run the command, print a failure as the API says it. */
import { describeFailure } from './errors';
import { buildProgram } from './program';

export async function main(argv: readonly string[]): Promise<void> {
  try {
    await buildProgram().parseAsync([...argv]);
  } catch (err) {
    const { lines, exitCode } = describeFailure(err);
    process.stderr.write(`${lines.join('\n')}\n`);
    process.exitCode = exitCode;
  }
}
