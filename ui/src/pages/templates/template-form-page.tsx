// PLACEHOLDER: replaced by the page's owner.
import type { ReactNode } from 'react';

export function TemplateFormPage({ id }: { readonly id: string; readonly query: URLSearchParams }): ReactNode {
  return <h1>TemplateFormPage</h1>;
}
