// PLACEHOLDER: replaced by the page's owner.
import type { ReactNode } from 'react';

export function HistoryPage({ deploymentId }: { readonly deploymentId: string }): ReactNode {
  return <h1>HistoryPage</h1>;
}
