/**
 * The issues a pull request resolves, read from its description as GitHub reads closing keywords:
 * close/closes/closed, fix/fixes/fixed, resolve/resolves/resolved (any case, an optional colon),
 * then `#N` (this repository) or `owner/repo#N` (another; this one's own is written `#N`). Used by
 * `github:release:notes`. A pure function: no GitHub call, nothing to undo.
 */

const KEYWORD = /\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?):?\s+([\w.-]+\/[\w.-]+)?#(\d+)\b/gi;

/** Each issue once, in order of first mention: `#12` here, `owner/repo#3` elsewhere. */
export function closedIssues(bodies: readonly string[], here: { owner: string; repo: string }): string[] {
  const self = `${here.owner}/${here.repo}`.toLowerCase();
  const found = new Set<string>();
  for (const body of bodies)
    for (const [, repo, number] of body.matchAll(KEYWORD))
      found.add(repo === undefined || repo.toLowerCase() === self ? `#${number}` : `${repo}#${number}`);
  return [...found];
}
