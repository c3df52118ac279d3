/** The CLI's exit codes (`deployctl --help` lists them). */
export const EXIT = {
  /** Done: the command worked, the run completed, the plan has no changes. */
  ok: 0,
  /** An error, or a run that failed, was rolled back or aborted. */
  error: 1,
  /** `plan --detailed-exitcode`: the plan has changes. */
  changes: 2,
  /** `apply`/`watch --detach-on-pause`: the run paused or waits for a decision. */
  paused: 3,
} as const;

export const EXIT_CODES_HELP = `Exit codes:
  0  done (a run completed; a plan without changes)
  1  an error, or a run that failed, was rolled back or aborted
  2  plan --detailed-exitcode: the plan has changes
  3  apply/watch --detach-on-pause: the run paused or waits for a decision`;
