/**
 * How a followed run is shown: NDJSON (--json), or one plain line per event (not a terminal: CI
 * logs get no control codes). The terminal's live view is live-view.ts.
 */
import type { Output } from './output';
import type { NodeEventData, RunAddress, RunEvent } from './run-events';
import { finishedText, nodeLabel, nodeText, phaseText } from './run-text';

export interface RunView {
  show(event: RunEvent): void;
  /** The run ended or the CLI stops following it: settle the display. */
  end(): Promise<void>;
  /** Shows a question to the person at the terminal (null: none); only the live view asks. */
  ask?(question: string | null): void;
}

export function jsonView(output: Output): RunView {
  return {
    show: (event) => output.record({ event: event.event, ...event.data }),
    end: () => Promise.resolve(),
  };
}

export function lineView(output: Output, run: RunAddress, startedAt = Date.now()): RunView {
  const c = output.color;
  return {
    show(event) {
      if (event.event === 'run_finished') output.line(finishedText(event.data, Date.now() - startedAt, c));
      else if (event.event === 'run_status') output.line(phaseText(run, event.data, c));
      else {
        const node = event.data as NodeEventData;
        output.line(`${c.bold(nodeLabel(node))}: ${nodeText(node, c)}`);
      }
    },
    end: () => Promise.resolve(),
  };
}
