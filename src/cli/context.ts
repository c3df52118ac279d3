/** What every command works with: the API client and the output, from the global options. */
import type { Command } from 'commander';
import { ApiClient } from './api-client';
import { resolveConnection } from './connection';
import { Output } from './output';

export interface GlobalOptions {
  readonly url?: string;
  readonly apiKey?: string;
  readonly config?: string;
  readonly json?: boolean;
}

export interface CommandContext {
  readonly api: ApiClient;
  readonly output: Output;
}

export function contextOf(command: Command): CommandContext {
  const options = command.optsWithGlobals<GlobalOptions>();
  return { api: new ApiClient(resolveConnection(options)), output: new Output(options.json === true) };
}

/**
 * A command's action: given the context, its arguments and options; a number it returns becomes
 * the exit code.
 */
export const action =
  <A extends unknown[]>(handler: (ctx: CommandContext, ...args: A) => Promise<number | void>) =>
  async (...args: unknown[]): Promise<void> => {
    const command = args[args.length - 1] as Command;
    const code = await handler(contextOf(command), ...(args.slice(0, -1) as A));
    if (code) process.exitCode = code;
  };
