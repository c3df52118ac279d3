// PLACEHOLDER: replaced by the page's owner.
import type { ReactNode } from 'react';

export function PlanPage({ query }: { readonly query: URLSearchParams }): ReactNode {
  return <h1>PlanPage</h1>;
}
