/** A run as GET /deploy/list and GET /deploy/history list it (the API's `RunSummary` schema). */
export interface RunSummary {
  readonly deployment_id: string;
  readonly workflow_id: string;
  readonly run_id: string;
  readonly status: string;
  readonly action: string | null;
  readonly mode: string | null;
  readonly version: string | null;
  readonly started_at: string;
  readonly closed_at: string | null;
  readonly web_ui_url: string;
  /** History only: the run's own history was deleted by retention; its record remains. */
  readonly history_expired?: boolean;
}
