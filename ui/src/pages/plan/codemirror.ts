/**
 * The config editor's CodeMirror 6 view, loaded on demand (its own chunk): JSON with the
 * deployment JSON Schema's completion, hover and inline errors (codemirror-json-schema).
 */
import { basicSetup, EditorView } from 'codemirror';
import { json, jsonParseLinter } from '@codemirror/lang-json';
import { linter } from '@codemirror/lint';
import { jsonSchema } from 'codemirror-json-schema';
import type { JSONSchema7 } from 'json-schema';

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
