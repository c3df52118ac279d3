/** The tenant's schedules (GET /schedules): spec, next and recent runs, and their controls. */
import type { ReactNode } from 'react';
import { get } from '../../api/client';
import { ErrorNotice } from '../../shell/error-notice';
import { useSession } from '../../shell/session';
import { useApi } from '../../shell/use-api';
import { ScheduleCard } from './schedule-card';
import type { Schedule } from './schedule-types';
import './schedules.css';

export function SchedulesPage(): ReactNode {
  const session = useSession();
  const { data, error, loading, reload } = useApi(() => get<{ schedules: Schedule[] }>('/schedules'), []);
  return (
    <div>
      <h1>Schedules</h1>
      <div className="toolbar">
        <button type="button" onClick={reload} disabled={loading}>
          {loading ? 'Loading…' : 'Refresh'}
        </button>
        {!session.can('operate') && (
          <span className="muted">Pausing, resuming and triggering need an operate key; deleting an admin key.</span>
        )}
      </div>
      <ErrorNotice error={error} title="The schedules did not load" />
      {data?.schedules.length === 0 && <p>No schedules. POST /schedules creates one.</p>}
      <div className="schedules">
        {data?.schedules.map((schedule) => (
          <ScheduleCard key={schedule.schedule_id} schedule={schedule} onChanged={reload} />
        ))}
      </div>
    </div>
  );
}
