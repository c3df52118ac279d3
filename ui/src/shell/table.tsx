/** A table of rows under column headings, its caption for screen readers only. */
import type { ReactNode } from 'react';

export function Table({
  caption,
  columns,
  className,
  children,
}: {
  readonly caption: ReactNode;
  /** The column headings, in order; a heading may be visually hidden. */
  readonly columns: readonly ReactNode[];
  readonly className?: string;
  /** The rows. */
  readonly children: ReactNode;
}): ReactNode {
  return (
    <table className={className}>
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          {columns.map((column, i) => (
            <th scope="col" key={i}>
              {column}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}
