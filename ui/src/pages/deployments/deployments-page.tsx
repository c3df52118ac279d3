// PLACEHOLDER: replaced by the page's owner.
import type { ReactNode } from 'react';

export function DeploymentsPage({ query }: { readonly query: URLSearchParams }): ReactNode {
  return <h1>DeploymentsPage</h1>;
}
