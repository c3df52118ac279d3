// PLACEHOLDER: replaced by the page's owner.
import type { ReactNode } from 'react';

export function TemplatesPage(): ReactNode {
  return <h1>TemplatesPage</h1>;
}
