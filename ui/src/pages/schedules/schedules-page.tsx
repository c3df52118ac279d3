// PLACEHOLDER: replaced by the page's owner.
import type { ReactNode } from 'react';

export function SchedulesPage(): ReactNode {
  return <h1>SchedulesPage</h1>;
}
