/**
 * On an interactive terminal, a run that pauses or waits for a decision is offered to go on from
 * here: a one-key question under the live view (continue the waiting nodes, named; or retry, skip,
 * roll back or abort after a failure), answered by the same API calls as `deployctl continue` & co.
 */
import type { CommandContext } from './context';
import { decisionBody, type Decided } from './commands/decisions';
import type { RunAddress, WaitingFor } from './run-events';
import { nodeLabel } from './run-text';

/** The view that shows the question (null: none any more). */
export interface Asker {
  ask(question: string | null): void;
}

/** One key from the terminal (raw mode, no echo), or null once `signal` aborts. Ctrl-C still interrupts. */
function readKey(signal: AbortSignal): Promise<string | null> {
  const stdin = process.stdin;
  return new Promise((resolve) => {
    const done = (key: string | null) => {
      stdin.off('data', onData);
      signal.removeEventListener('abort', onAbort);
      stdin.setRawMode(false);
      stdin.pause();
      resolve(key);
    };
    const onData = (chunk: Buffer) => {
      const key = chunk.toString('utf8').charAt(0).toLowerCase();
      done(key);
      if (key === '\u0003') process.kill(process.pid, 'SIGINT');
    };
    const onAbort = () => done(null);
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on('data', onData);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

const DECISION_KEYS: Readonly<Record<string, string>> = { r: 'retry', s: 'skip', b: 'rollback', a: 'abort' };

/** Whether the terminal can answer a question: stdin and stdout are terminals (the live view runs). */
export const canOffer = (): boolean => Boolean(process.stdin.isTTY);

/**
 * Asks whether to go on from `waiting` and does what the answer says; `labels` names the nodes
 * by id. A question `signal` aborts (the run moved on by itself) is left unanswered.
 */
export async function offerToGoOn(
  { api }: CommandContext,
  run: RunAddress,
  waiting: WaitingFor,
  labels: ReadonlyMap<string, string>,
  view: Asker,
  signal: AbortSignal,
): Promise<void> {
  const decide = (name: string, flags: { node?: string }) =>
    api.post<Decided>(`/deploy/${name}`, decisionBody(run.deploymentId, name, { run: run.runId, ...flags }));
  try {
    if (waiting.kind === 'continue') {
      const names = (waiting.waits ?? []).map(nodeLabel);
      view.ask(`continue ${names.join(', ') || 'the paused nodes'} now? [y/N]`);
      if ((await readKey(signal)) !== 'y') return view.ask(null);
      view.ask(`continuing ${names.join(', ')}…`);
      for (const node of names) await decide('continue', { node });
      if (names.length === 0) await decide('continue', {});
    } else {
      const names = waiting.node_ids.map((id) => labels.get(id) ?? id);
      view.ask(`${names.join(', ')} failed: [r]etry, [s]kip, roll[b]ack or [a]bort now? [N] leaves the run waiting`);
      const decision = DECISION_KEYS[(await readKey(signal)) ?? ''];
      if (decision === undefined) return view.ask(null);
      view.ask(`${decision}…`);
      await decide(decision, {});
    }
  } catch (err) {
    view.ask(`could not go on: ${err instanceof Error ? err.message : String(err)}`);
  }
}
