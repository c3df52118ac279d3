/**
 * One schedule: what it runs and when, its next and recent runs, and its controls (pause or
 * resume and trigger for operators, delete for admins after a confirmation), with the service's
 * answer or refusal.
 */
import { useEffect, useState, type ReactNode } from 'react';
import { del, get, post, q } from '../../api/client';
import { confirmed } from '../../shell/confirm';
import { ErrorNotice } from '../../shell/error-notice';
import { href } from '../../shell/route';
import { useSession } from '../../shell/session';
import { formatTime } from '../../shell/format';
import type { Schedule } from './schedule-types';

type Control = 'pause' | 'unpause' | 'trigger' | 'delete';

const DONE: Record<Control, string> = {
  pause: 'Paused.',
  unpause: 'Resumed.',
  trigger: 'Triggered: a run starts now.',
  delete: 'Deleted.',
};

export function ScheduleCard({
  schedule: listed,
  onChanged,
}: {
  readonly schedule: Schedule;
  readonly onChanged: () => void;
}): ReactNode {
  const session = useSession();
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ done?: string; error?: unknown }>({});
  // After a control, the schedule as GET /schedules/{id} describes it: the list comes from
  // Temporal's visibility, which lags a pause or a trigger by a moment.
  const [described, setDescribed] = useState<Schedule | null>(null);
  useEffect(() => setDescribed(null), [listed]); // a newer list (Refresh) supersedes it
  const schedule = described ?? listed;
  const id = schedule.schedule_id;
  const titleId = `schedule-${id}`;

  const use = async (control: Control): Promise<void> => {
    if (control === 'delete' && !confirmed(`Delete the schedule ${id}? Runs it started stay.`)) return;
    setBusy(true);
    try {
      const path = `/schedules/${q(id)}`;
      await (control === 'delete' ? del(path) : post(`${path}/${control}`));
      setOutcome({ done: DONE[control] });
      if (control === 'delete') onChanged();
      else setDescribed(await get<Schedule>(path));
    } catch (error) {
      setOutcome({ error });
    } finally {
      setBusy(false);
    }
  };

  const operate = !session.can('operate') || busy;
  return (
    <article className="card schedule" aria-labelledby={titleId}>
      <h2 id={titleId}>
        {id}{' '}
        <span className={`status ${schedule.paused ? 'status-paused' : 'status-running'}`}>
          {schedule.paused ? 'paused' : 'active'}
        </span>
      </h2>
      <dl className="schedule-facts">
        <dt>Runs</dt>
        <dd>
          {schedule.action} ({schedule.mode}) of{' '}
          <a href={href(['deployments', schedule.deployment_id, 'history'])}>{schedule.deployment_id}</a>
        </dd>
        <dt>When</dt>
        <dd>{schedule.interval ? `every ${schedule.interval}` : `cron ${schedule.cron ?? '?'} (UTC)`}</dd>
        <dt>Overlap</dt>
        <dd>{schedule.overlap}</dd>
        {schedule.note && (
          <>
            <dt>Note</dt>
            <dd>{schedule.note}</dd>
          </>
        )}
      </dl>
      <h3>Next runs</h3>
      {schedule.paused || schedule.next_runs.length === 0 ? (
        <p className="muted">None while paused.</p>
      ) : (
        <ul>
          {schedule.next_runs.slice(0, 5).map((at) => (
            <li key={at}>{formatTime(at)}</li>
          ))}
        </ul>
      )}
      <h3>Recent runs</h3>
      {schedule.recent_runs.length === 0 ? (
        <p className="muted">None yet.</p>
      ) : (
        <ul>
          {schedule.recent_runs.map((run) => (
            <li key={run.workflow_id}>
              {formatTime(run.started_at)}
              {run.started_at !== run.scheduled_at && (
                <span className="muted"> (scheduled {formatTime(run.scheduled_at)})</span>
              )}
            </li>
          ))}
        </ul>
      )}
      <div className="toolbar" role="group" aria-label={`Controls of ${id}`}>
        {schedule.paused ? (
          <button type="button" disabled={operate} onClick={() => void use('unpause')}>
            Resume
          </button>
        ) : (
          <button type="button" disabled={operate} onClick={() => void use('pause')}>
            Pause
          </button>
        )}
        <button type="button" disabled={operate} onClick={() => void use('trigger')}>
          Trigger now
        </button>
        <button
          type="button"
          className="danger"
          disabled={!session.can('admin') || busy}
          onClick={() => void use('delete')}
        >
          Delete
        </button>
      </div>
      <div aria-live="polite">{outcome.done && <p className="notice">{outcome.done}</p>}</div>
      <ErrorNotice error={outcome.error} title="Refused" />
    </article>
  );
}
