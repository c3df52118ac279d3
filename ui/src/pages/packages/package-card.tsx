/**
 * One step package: its status, its versions (the one new runs use marked), the workers that
 * have loaded it, its log, and the admin's controls: roll back to another version, undeploy
 * (after a confirmation), with the service's answer or refusal (a 409 names the runs using it).
 */
import { useState, type ReactNode } from 'react';
import { get, post, q } from '../../api/client';
import { confirmed } from '../../shell/confirm';
import { ErrorNotice } from '../../shell/error-notice';
import { formatTime } from '../../shell/format';
import { useSession } from '../../shell/session';
import { useApi } from '../../shell/use-api';
import type { PackageLog, PackageStatus } from './package-types';

export function PackageCard({ name, onChanged }: { readonly name: string; readonly onChanged: () => void }): ReactNode {
  const session = useSession();
  const path = `/packages/${q(name)}`;
  const status = useApi(() => get<PackageStatus>(path), [path]);
  const log = useApi(() => get<PackageLog>(`${path}/logs`), [path]);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ done?: string; error?: unknown }>({});
  const titleId = `package-${name}`;

  const change = async (action: 'rollback' | 'undeploy', version?: number): Promise<void> => {
    if (action === 'undeploy' && !confirmed(`Undeploy ${name}? New runs can no longer use its types.`)) return;
    setBusy(true);
    try {
      await post(`${path}/${action}`, version === undefined ? {} : { version });
      setOutcome({ done: action === 'undeploy' ? 'Undeployed.' : `Version ${version ?? '?'} serves new runs.` });
      status.reload();
      log.reload();
      onChanged();
    } catch (error) {
      setOutcome({ error });
    } finally {
      setBusy(false);
    }
  };

  const p = status.data;
  const admin = !session.can('admin') || busy;
  return (
    <article className="card package" aria-labelledby={titleId}>
      <h2 id={titleId}>
        {name}{' '}
        {p && (
          <span className={`status ${p.isDeployed ? 'status-completed' : 'status-paused'}`}>
            {p.deploymentStatus.toLowerCase()}
          </span>
        )}
      </h2>
      <ErrorNotice error={status.error} title="The package did not load" />
      {p && (
        <>
          <p>{p.types.length ? p.types.join(', ') : <span className="muted">No type serves new runs.</span>}</p>
          <h3>Versions</h3>
          <ul className="package-versions">
            {p.versions.map((v) => (
              <li key={v.hash}>
                <span>
                  {v.version === p.version ? <strong>version {v.version} (current)</strong> : `version ${v.version}`}{' '}
                  <span className="muted">{formatTime(v.deployed_at)}</span>
                </span>
                {v.version !== p.version && (
                  <button type="button" disabled={admin} onClick={() => void change('rollback', v.version)}>
                    Roll back to version {v.version}
                  </button>
                )}
              </li>
            ))}
          </ul>
          <h3>Workers</h3>
          {p.workers.length === 0 ? (
            <p className="muted">No worker has reported loading it in the last 5 minutes.</p>
          ) : (
            <ul>
              {p.workers.map((w) => (
                <li key={`${w.worker}-${w.version}`}>
                  {w.worker}: version {w.version}, loaded {formatTime(w.loaded_at)}
                </li>
              ))}
            </ul>
          )}
          <details>
            <summary>Log</summary>
            <ol className="package-log">
              {(log.data?.logs ?? []).map((entry, i) => (
                <li key={i} className={entry.level === 'error' ? 'log-error' : undefined}>
                  <span className="muted">{formatTime(entry.at)}</span> {entry.message}
                </li>
              ))}
            </ol>
          </details>
          {p.isDeployed && (
            <div className="toolbar" role="group" aria-label={`Controls of ${name}`}>
              <button type="button" className="danger" disabled={admin} onClick={() => void change('undeploy')}>
                Undeploy
              </button>
            </div>
          )}
        </>
      )}
      <div aria-live="polite">{outcome.done && <p className="notice">{outcome.done}</p>}</div>
      <ErrorNotice error={outcome.error} title="Refused" />
    </article>
  );
}
