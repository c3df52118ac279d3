/**
 * A template's form: rendered by rjsf from the template's input JSON Schema (GET /templates/{id}),
 * validated in the page before any request (schema-validator.ts), with the sealed credentials its
 * providers need. Preview plans it (POST /templates/{id}/plan); a refusal lists each problem by
 * the field the service named (`inputs.app`, `config.resources.approve.properties.timeout`).
 * Apply (role operate) starts the previewed inputs (POST /templates/{id}/apply) and follows the
 * run to its outcome (run-outcome.tsx).
 * The location's query fills inputs in: `#/templates/provision-instance?mode=edit&customer=acme`.
 */
import Form from '@rjsf/core';
import type { RJSFSchema } from '@rjsf/utils';
import { useState, type ReactNode } from 'react';
import { get, post, q } from '../../api/client';
import { ErrorNotice } from '../../shell/error-notice';
import { href } from '../../shell/route';
import { useSession } from '../../shell/session';
import { useApi } from '../../shell/use-api';
import { PlanAnswer } from '../plan/plan-answer';
import { PlanError } from '../plan/plan-error';
import type { Plan } from '../../../../src/model/plan-answer';
import { CredentialFields, credentialsBody, providersOf, type CredentialValues } from './credentials';
import { RunOutcome, type StartedRun } from './run-outcome';
import { schemaValidator } from './schema-validator';
import type { TemplateSummary } from './templates-page';
import './templates.css';

interface TemplateDetail extends TemplateSummary {
  readonly inputs: RJSFSchema;
  readonly config: Record<string, unknown>;
}

type Inputs = Record<string, unknown>;

/** Inputs named in the query, typed as their schema says (other keys are ignored). */
function prefilled(schema: RJSFSchema, query: URLSearchParams): Inputs {
  const properties = (schema.properties ?? {}) as Record<string, { type?: unknown }>;
  const inputs: Inputs = {};
  for (const [name, text] of query) {
    const type = properties[name]?.type;
    if (type === undefined) continue;
    inputs[name] = type === 'boolean' ? text === 'true' : type === 'integer' || type === 'number' ? Number(text) : text;
  }
  return inputs;
}

export function TemplateFormPage({ id, query }: { readonly id: string; readonly query: URLSearchParams }): ReactNode {
  const { data, error } = useApi(() => get<TemplateDetail>(`/templates/${q(id)}`), [id]);
  return (
    <>
      <p>
        <a href={href(['templates'])}>All templates</a>
      </p>
      <ErrorNotice error={error} title={`Template ${id}`} />
      {!data && !error && <p className="muted">Loading…</p>}
      {data && <TemplateForm key={data.id} template={data} initial={prefilled(data.inputs, query)} />}
    </>
  );
}

function TemplateForm({ template, initial }: { readonly template: TemplateDetail; readonly initial: Inputs }) {
  const session = useSession();
  const [inputs, setInputs] = useState<Inputs>(initial);
  const [credentials, setCredentials] = useState<CredentialValues>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [preview, setPreview] = useState<{ plan: Plan; inputs: string } | null>(null);
  const [run, setRun] = useState<StartedRun | null>(null);
  const body = (values: Inputs) => ({ inputs: values, credentials: credentialsBody(credentials) });
  // A preview is of the inputs it was made with: another value (or credential) needs another.
  const current = JSON.stringify(body(inputs));
  const previewed = preview?.inputs === current ? preview.plan : null;

  const call = async (action: () => Promise<void>): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const plan = (values: Inputs) =>
    call(async () => {
      setRun(null);
      setInputs(values); // what Apply sends: the values previewed
      const answer = await post<Plan>(`/templates/${q(template.id)}/plan`, body(values));
      setPreview({ plan: answer, inputs: JSON.stringify(body(values)) });
    });
  const apply = () =>
    call(async () => setRun(await post<StartedRun>(`/templates/${q(template.id)}/apply`, body(inputs))));

  return (
    <>
      <h1>{template.title}</h1>
      <p className="muted">{template.description}</p>
      <Form
        className="template-form"
        schema={template.inputs}
        validator={schemaValidator}
        formData={inputs}
        noHtml5Validate
        showErrorList="top"
        onChange={(event) => setInputs(event.formData ?? {})}
        onSubmit={(event) => void plan(event.formData ?? {})}
      >
        <CredentialFields providers={providersOf(template.config)} values={credentials} onChange={setCredentials} />
        <div className="toolbar">
          <button type="submit" className="primary" disabled={busy}>
            Preview
          </button>
          {busy && <span role="status">Asking the service…</span>}
        </div>
      </Form>
      <PlanError error={error} title="The service refused" />
      {previewed && (
        <>
          <PlanAnswer
            plan={previewed}
            title={`Preview: ${previewed.deployment_id}`}
            offline="from the template (give credentials to check the state)"
            className="template-preview"
          />
          <div className="toolbar">
            {session.can('operate') ? (
              <button type="button" className="primary" disabled={busy || run !== null} onClick={() => void apply()}>
                Apply
              </button>
            ) : (
              <p className="muted">Your role ({session.role}) can preview but not apply.</p>
            )}
          </div>
        </>
      )}
      {run && <RunOutcome run={run} />}
    </>
  );
}
