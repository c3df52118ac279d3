/** Times, durations and API words as the pages show them. */
export const formatTime = (iso: string | null): string => (iso ? new Date(iso).toLocaleString() : '—');

export function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${Math.round(seconds * 10) / 10} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** How long a run took (or has taken so far, when it has not finished). */
export const runDuration = (startedAt: string, closedAt: string | null, now = Date.now()): string =>
  formatSeconds(Math.max(0, ((closedAt ? Date.parse(closedAt) : now) - Date.parse(startedAt)) / 1000));

/** An API word (`rolled_back`) as prose (`rolled back`). */
export const words = (word: string): string => word.replace(/_/g, ' ');

/** A count with its noun, plural when it is not one: `3 operations`, `1 group`. */
export const counted = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;
