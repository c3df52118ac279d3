/**
 * The config editor's CodeMirror 6 view, loaded on demand (its own chunk): JSON with the
 * deployment JSON Schema's completion, hover and inline errors (codemirror-json-schema).
 */
import { basicSetup, EditorView } from 'codemirror';
import { json, jsonParseLinter } from '@codemirror/lang-json';
import { linter, type Diagnostic } from '@codemirror/lint';
import { StateEffect, StateField } from '@codemirror/state';
import { getJsonPointers, jsonSchema } from 'codemirror-json-schema';
import type { JSONSchema7 } from 'json-schema';
import type { FieldProblem } from './plan-error';

export interface EditorOptions {
  readonly parent: HTMLElement;
  readonly doc: string;
  readonly schema: JSONSchema7 | null;
  readonly labelledBy: string;
  readonly describedBy: string;
  readonly onChange: (text: string) => void;
}

export function createEditor({ parent, doc, schema, labelledBy, describedBy, onChange }: EditorOptions): EditorView {
  return new EditorView({
    parent,
    doc,
    extensions: [
      basicSetup,
      schema ? jsonSchema(schema) : [json(), linter(jsonParseLinter())],
      apiProblems,
      EditorView.contentAttributes.of({
        'aria-labelledby': labelledBy,
        'aria-describedby': describedBy,
        tabindex: '0',
      }),
      EditorView.updateListener.of((update) => {
        if (update.docChanged) onChange(update.state.doc.toString());
      }),
    ],
  });
}

/** Replaces the whole text (loading an example), as one undoable change. */
export function replaceText(view: EditorView, text: string): void {
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
}

const pointerOf = (segments: readonly string[]): string =>
  segments.map((segment) => `/${segment.replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');

const problemsEffect = StateEffect.define<readonly FieldProblem[]>();

/** The API's problems with the text as it was planned; an edit clears them (the next plan says anew). */
const problemsField = StateField.define<readonly FieldProblem[]>({
  create: () => [],
  update: (problems, tr) => tr.effects.find((e) => e.is(problemsEffect))?.value ?? (tr.docChanged ? [] : problems),
});

/** Each problem at its field's name (`config.resources.fn.x` at resources → fn → x), else at its nearest parent's. */
function problemDiagnostics(view: EditorView): Diagnostic[] {
  const problems = view.state.field(problemsField);
  if (problems.length === 0) return [];
  const pointers = getJsonPointers(view.state, 'json4');
  return problems.map((problem) => {
    const segments = problem.path.split('.');
    if (segments[0] === 'config') segments.shift();
    let at: { from: number; to: number } = { from: 0, to: Math.min(1, view.state.doc.length) };
    for (let n = segments.length; n > 0; n -= 1) {
      const found = pointers.get(pointerOf(segments.slice(0, n)));
      if (found) {
        at = { from: found.keyFrom, to: found.keyTo };
        break;
      }
    }
    return { ...at, severity: 'error', source: 'the API', message: `${problem.path}: ${problem.message}` };
  });
}

const apiProblems = [
  problemsField,
  linter(problemDiagnostics, {
    needsRefresh: (update) => update.startState.field(problemsField) !== update.state.field(problemsField),
  }),
];

/** Marks the API's problems with the config in place, until the next edit. */
export function showProblems(view: EditorView, problems: readonly FieldProblem[]): void {
  view.dispatch({ effects: problemsEffect.of(problems) });
}
