/**
 * The config as JSON in CodeMirror, with the deployment JSON Schema (completion on Ctrl-Space,
 * inline errors, hover). The text is the page's: `text` seeds the editor and replaces its content
 * when the page loads another config (`generation` changes); edits come back through `onChange`.
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { JSONSchema7 } from 'json-schema';
import type { EditorView } from 'codemirror';
import type { FieldProblem } from './plan-error';

interface Props {
  readonly text: string;
  /** Bumped by the page when `text` comes from elsewhere than the editor (an example, a reset). */
  readonly generation: number;
  readonly schema: JSONSchema7 | null;
  readonly onChange: (text: string) => void;
  /** The API's problems with the text, marked where their fields are. */
  readonly problems: readonly FieldProblem[];
}

export function ConfigEditor({ text, generation, schema, onChange, problems }: Props): ReactNode {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const latest = useRef({ text, onChange });
  latest.current = { text, onChange };
  const [failed, setFailed] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    import('./codemirror').then(
      ({ createEditor }) => {
        if (!live || !host.current) return;
        view.current = createEditor({
          parent: host.current,
          doc: latest.current.text,
          schema,
          labelledBy: 'config-label',
          describedBy: 'config-help',
          onChange: (value) => latest.current.onChange(value),
        });
      },
      (err: unknown) => live && setFailed(err instanceof Error ? err.message : String(err)),
    );
    return () => {
      live = false;
      view.current?.destroy();
      view.current = null;
    };
  }, [schema]);

  useEffect(() => {
    const current = view.current;
    if (current && current.state.doc.toString() !== latest.current.text)
      void import('./codemirror').then(({ replaceText }) => replaceText(current, latest.current.text));
  }, [generation]);

  useEffect(() => {
    const current = view.current;
    if (current && problems.length > 0)
      void import('./codemirror').then(({ showProblems }) => showProblems(current, problems));
  }, [problems]);

  return (
    <div className="config-editor">
      <div id="config-label" className="label">
        Deployment config (JSON)
      </div>
      <p id="config-help" className="muted">
        Ctrl-Space completes from the deployment schema; errors are underlined as you type; Tab leaves the editor.
      </p>
      {failed && (
        <p role="alert" className="error">
          The editor did not load: {failed}
        </p>
      )}
      <div ref={host} className="editor-host" />
    </div>
  );
}
