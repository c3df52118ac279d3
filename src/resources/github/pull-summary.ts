/**
 * A pull request as the release train's nodes hand it on (outputs of `github:pulls:gather` and
 * `github:pulls:merge`, read by the deploy PR's description and the release notes): enough to list
 * it (number, title, author, link) and to find what it resolves (its body).
 */
import { z } from 'zod';

export const pullSummarySchema = z.object({
  number: z.number().int().positive(),
  title: z.string(),
  author: z.string().meta({ description: 'The login of whoever opened it' }),
  url: z.string().meta({ description: 'Its page on GitHub' }),
  head_sha: z.string(),
  body: z.string().meta({ description: 'Its description ("" when it has none)' }),
});
export type PullSummary = z.output<typeof pullSummarySchema>;

/** One that was left out of a train, and why (a conflict, a refused merge). */
export const leftOutSchema = pullSummarySchema.extend({ reason: z.string() });
export type LeftOut = z.output<typeof leftOutSchema>;

/** What GitHub's pull request objects carry that a summary needs. */
export interface GitHubPull {
  readonly number: number;
  readonly title: string;
  readonly user: { readonly login: string } | null;
  readonly html_url: string;
  readonly head: { readonly sha: string };
  readonly body?: string | null;
}

export const summaryOf = (pull: GitHubPull): PullSummary => ({
  number: pull.number,
  title: pull.title,
  author: pull.user?.login ?? 'ghost',
  url: pull.html_url,
  head_sha: pull.head.sha,
  body: pull.body ?? '',
});
