/** Times and durations as the run page shows them. */

export function seconds(s: number): string {
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${Math.round(s % 60)} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

export const between = (from: string, to: string | null, now = Date.now()): number =>
  ((to ? Date.parse(to) : now) - Date.parse(from)) / 1000;

export const clock = (iso: string | null): string => (iso ? new Date(iso).toLocaleString() : '—');
