/**
 * Sends an operator decision (POST /deploy/continue|retry|skip|rollback|abort|breakpoint) for the run shown,
 * after the person confirms when the decision is destructive; a refusal (409 with the run's reason)
 * is kept for ErrorNotice, and the status is re-read either way.
 */
import { useState } from 'react';
import { post } from '../../api/client';
import { confirmed } from '../../shell/confirm';

export type DecisionName = 'continue' | 'retry' | 'skip' | 'rollback' | 'abort' | 'breakpoint';

export interface Decider {
  readonly busy: boolean;
  readonly error: unknown;
  readonly decide: (decision: DecisionName, body?: Record<string, unknown>, question?: string) => void;
}

export function useDecision(deploymentId: string, runId: string | undefined, reload: () => void): Decider {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const decide: Decider['decide'] = (decision, body = {}, question) => {
    if (question && !confirmed(question)) return;
    setBusy(true);
    setError(undefined);
    post(`/deploy/${decision}`, { deployment_id: deploymentId, ...(runId ? { run_id: runId } : {}), ...body })
      .catch((err: unknown) => setError(err))
      .finally(() => {
        setBusy(false);
        reload();
      });
  };
  return { busy, error, decide };
}
