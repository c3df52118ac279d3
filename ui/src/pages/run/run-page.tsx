// PLACEHOLDER: replaced by the page's owner.
import type { ReactNode } from 'react';

export function RunPage({ id }: { readonly id: string; readonly runId?: string | undefined }): ReactNode {
  return <h1>RunPage</h1>;
}
