/**
 * The page's location is its hash (`#/runs/deploy-web`), so the gateway serves one page at /ui and
 * every view has a link that can be shared, bookmarked and reloaded.
 */
import { useEffect, useState } from 'react';

export interface Route {
  /** The path segments after `#/`, decoded. */
  readonly segments: readonly string[];
  readonly query: URLSearchParams;
}

export function currentRoute(hash = window.location.hash): Route {
  const [path = '', search = ''] = hash.replace(/^#\/?/, '').split('?');
  return { segments: path.split('/').filter(Boolean).map(decodeURIComponent), query: new URLSearchParams(search) };
}

/** A link target for the given segments (each encoded) and query. */
export function href(segments: readonly string[], query?: Record<string, string | undefined>): string {
  const search = new URLSearchParams(
    Object.entries(query ?? {}).filter((entry): entry is [string, string] => entry[1] !== undefined),
  ).toString();
  return `#/${segments.map(encodeURIComponent).join('/')}${search ? `?${search}` : ''}`;
}

export const navigate = (target: string): void => {
  window.location.hash = target;
};

export function useRoute(): Route {
  const [route, setRoute] = useState(currentRoute);
  useEffect(() => {
    const changed = (): void => setRoute(currentRoute());
    window.addEventListener('hashchange', changed);
    return () => window.removeEventListener('hashchange', changed);
  }, []);
  return route;
}
