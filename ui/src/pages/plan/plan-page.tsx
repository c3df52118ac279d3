/**
 * Plan & apply: a config in the schema-aware editor, its plan (POST /deploy/plan) previewed per
 * node, then an apply of exactly the planned config in the chosen mode (POST /deploy/apply), which
 * opens the run. `?deployment=<id>` starts from the example under that id; the API compares each
 * plan with the deployment's last apply, wherever it was applied from.
 */
import { useState, type FormEvent, type ReactNode } from 'react';
import type { JSONSchema7 } from 'json-schema';
import { get, post } from '../../api/client';
import { ErrorNotice } from '../../shell/error-notice';
import { href, navigate } from '../../shell/route';
import { useSession } from '../../shell/session';
import { useApi } from '../../shell/use-api';
import { ConfigEditor } from './config-editor';
import { exampleConfig } from './example-config';
import { fieldProblems, PlanError } from './plan-error';
import { PlanAnswer } from './plan-answer';
import type { Plan } from '../../../../src/model/plan-answer';
import './plan.css';

const MODES = [
  { mode: 'FULL', label: 'FULL: runs through' },
  { mode: 'STEP', label: 'STEP: waits for a continue before each node' },
  { mode: 'DRY_RUN', label: 'DRY_RUN: plans each node, changes nothing' },
] as const;
type Mode = (typeof MODES)[number]['mode'];

type Config = Record<string, unknown>;

interface Planned {
  readonly text: string;
  readonly mode: Mode;
  readonly config: Config;
  readonly plan: Plan;
}

function parsed(text: string): Config {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Config;
    throw new Error('the config must be a JSON object');
  } catch (err) {
    throw new Error(`The config is not valid JSON: ${(err as Error).message}`);
  }
}

export function PlanPage({ query }: { readonly query: URLSearchParams }): ReactNode {
  const deploymentId = query.get('deployment');
  return <PlanWorkspace key={deploymentId ?? ''} deploymentId={deploymentId} />;
}

/** The page for one `?deployment=` (a new one starts afresh). */
function PlanWorkspace({ deploymentId }: { readonly deploymentId: string | null }): ReactNode {
  const session = useSession();
  const schema = useApi(() => get<JSONSchema7>('/schemas/deployment.json'), []);
  const [text, setText] = useState(() => exampleConfig(deploymentId ?? undefined));
  const [generation, setGeneration] = useState(0);
  const [mode, setMode] = useState<Mode>('FULL');
  const [planned, setPlanned] = useState<Planned | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState<'plan' | 'apply' | null>(null);
  const current = planned !== null && planned.text === text && planned.mode === mode;
  const mayApply = session.can('operate');

  const plan = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setError(undefined);
    setBusy('plan');
    try {
      const config = parsed(text);
      setPlanned({ text, mode, config, plan: await post<Plan>('/deploy/plan', { config, mode }) });
    } catch (err) {
      setPlanned(null);
      setError(err);
    } finally {
      setBusy(null);
    }
  };

  const apply = async (): Promise<void> => {
    if (!planned || !mayApply) return;
    setError(undefined);
    setBusy('apply');
    try {
      const started = await post<{ deployment_id: string }>('/deploy/apply', { config: planned.config, mode });
      navigate(href(['runs', started.deployment_id]));
    } catch (err) {
      setError(err);
      setBusy(null);
    }
  };

  const loadExample = (): void => {
    setText(exampleConfig(deploymentId ?? undefined));
    setGeneration((g) => g + 1);
  };

  return (
    <div className="plan-page">
      <h1>Plan &amp; apply</h1>
      <div className="plan-layout">
        <form className="card" onSubmit={(e) => void plan(e)} aria-label="Config and plan">
          {schema.loading ? (
            <p className="muted">Loading the deployment schema…</p>
          ) : (
            <>
              {schema.error !== undefined && (
                <ErrorNotice error={schema.error} title="No schema: completion and schema errors are off" />
              )}
              <ConfigEditor
                text={text}
                generation={generation}
                schema={schema.data ?? null}
                onChange={setText}
                problems={fieldProblems(error)}
              />
            </>
          )}
          <div className="toolbar">
            <label htmlFor="plan-mode">Mode</label>
            <select id="plan-mode" value={mode} onChange={(e) => setMode(e.target.value as Mode)}>
              {MODES.map(({ mode: value, label }) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </div>
          <div className="toolbar">
            <button type="submit" disabled={busy !== null}>
              {busy === 'plan' ? 'Planning…' : 'Plan'}
            </button>
            <button
              type="button"
              className="primary"
              disabled={!current || !mayApply || busy !== null}
              onClick={() => void apply()}
            >
              {busy === 'apply' ? 'Applying…' : 'Apply'}
            </button>
            <button type="button" onClick={loadExample}>
              Start from the example
            </button>
          </div>
          <p className="muted" aria-live="polite">
            {!mayApply
              ? `Applying needs an operate key; this key's role is ${session.role}.`
              : current
                ? `Apply starts a ${mode} run of the planned config.`
                : 'Plan the config as it is now to apply it.'}
          </p>
        </form>
        <div className="plan-result" aria-live="polite">
          <PlanError error={error} title={planned ? 'Not applied' : 'Not planned'} />
          {planned && (
            <PlanAnswer
              plan={planned.plan}
              title={`Plan: ${planned.plan.deployment_id} ${planned.plan.version}`}
              offline="from the config"
              className="plan-answer"
            />
          )}
        </div>
      </div>
    </div>
  );
}
