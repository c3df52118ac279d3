/** The run-wide controls an operator has: continue everything paused, retry or skip what failed, roll back, abort. */
import type { ReactNode } from 'react';
import { ErrorNotice } from '../../shell/error-notice';
import type { Decider } from './use-decision';
import { isFinished } from '../../../../src/model/run-types';
import type { RunStatus } from './run-types';

export function RunControls({ run, decider }: { readonly run: RunStatus; readonly decider: Decider }): ReactNode {
  if (isFinished(run.status)) return null;
  const { decide, busy, error } = decider;
  const waiting = run.waiting_for?.kind;
  const failed = run.counts.failed ?? 0;
  return (
    <section aria-labelledby="controls-title" className="card run-controls">
      <h2 id="controls-title">Controls</h2>
      <div className="toolbar">
        {waiting === 'continue' && (
          <button type="button" className="primary" disabled={busy} onClick={() => decide('continue')}>
            Continue all
          </button>
        )}
        {waiting === 'decision' && failed > 0 && (
          <>
            <button type="button" className="primary" disabled={busy} onClick={() => decide('retry')}>
              Retry failed
            </button>
            <button
              type="button"
              disabled={busy}
              onClick={() => decide('skip', {}, `Skip ${failed} failed node(s)? Their dependents may then run.`)}
            >
              Skip failed
            </button>
          </>
        )}
        <button
          type="button"
          className="danger"
          disabled={busy}
          onClick={() =>
            decide('rollback', {}, `Roll back ${run.deployment_id}? Completed nodes are undone, newest first.`)
          }
        >
          Roll back
        </button>
        <button
          type="button"
          className="danger"
          disabled={busy}
          onClick={() =>
            decide('abort', {}, `Abort ${run.deployment_id}? Nothing new starts and nothing is compensated.`)
          }
        >
          Abort
        </button>
      </div>
      <ErrorNotice error={error} title="Refused" />
    </section>
  );
}
