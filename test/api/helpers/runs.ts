/** Driving runs over REST in tests: poll the status route until a condition holds. */
import type { Http } from './http';

export interface RunView {
  status: string;
  execution_status: string;
  run_id: string;
  workflow_id: string;
  waiting_for: { kind: string; node_ids: string[] } | null;
  nodes: {
    node_id: string;
    resource_id: string;
    type: string;
    region: string | null;
    status: string;
    duration_seconds: number | null;
    attempts: number;
    outputs: Record<string, unknown> | null;
    action: string | null;
    drift: { property: string; desired: unknown; actual: unknown }[] | null;
  }[];
}

export async function waitForRun(
  api: Http,
  path: string,
  until: (run: RunView) => boolean,
  key?: string,
  timeoutMs = 60_000,
): Promise<RunView> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    const response = await api.get(path, { key });
    last = response.body;
    if (response.status === 200 && until(response.body as RunView)) return response.body as RunView;
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(`timed out waiting on ${path}; last: ${JSON.stringify(last).slice(0, 1_000)}`);
}

export const FINISHED = ['completed', 'failed', 'rolled_back', 'rollback_failed', 'aborted', 'ended'];
export const finished = (run: RunView): boolean => FINISHED.includes(run.status);
