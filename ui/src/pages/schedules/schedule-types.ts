/** GET /schedules' schedules (the API's `Schedule` schema). */
export interface Schedule {
  readonly schedule_id: string;
  readonly deployment_id: string;
  readonly action: 'apply' | 'verify';
  readonly mode: string;
  readonly interval: string | null;
  readonly cron: string | null;
  readonly overlap: string;
  readonly paused: boolean;
  readonly note: string | null;
  readonly next_runs: readonly string[];
  readonly recent_runs: readonly {
    readonly workflow_id: string;
    readonly scheduled_at: string;
    readonly started_at: string;
  }[];
}
