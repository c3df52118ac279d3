/**
 * A test bed for release-train work against the surrogate: a started surrogate, an owner (mona),
 * a pull request author (hubot) and a reviewer (octocat), the repository mona/app seeded with a
 * version in three files on main and staging, a plain Octokit client, and git on the repository's
 * bare git repository. `finish()` fails the test on any OpenAPI violation and stops the surrogate.
 */
import { execFileSync } from 'node:child_process';
import { Octokit } from '@octokit/rest';
import { GitHubSurrogate } from './server';
import type { Account, Repository } from './state';

export const VERSION_FILES = {
  'package.json': '{\n  "name": "app",\n  "version": "1.4.2"\n}\n',
  'mix.exs': 'defmodule App.MixProject do\n  def project, do: [app: :app, version: "1.4.2"]\nend\n',
  VERSION: '1.4.2\n',
};

export interface ReleaseRepo {
  readonly gh: GitHubSurrogate;
  readonly owner: Account;
  readonly author: Account;
  readonly reviewer: Account;
  readonly repo: Repository;
  /** Plain Octokit: the product's clients pace writes that notify people (pull requests, review requests) 3 s apart. */
  readonly octokit: Octokit;
  readonly where: { readonly owner: string; readonly repo: string };
  /** git on the repository's bare git repository; answers its trimmed output. */
  git(...args: string[]): Promise<string>;
  finish(): Promise<void>;
}

export async function startReleaseRepo(): Promise<ReleaseRepo> {
  const gh = await GitHubSurrogate.start();
  const owner = gh.addAccount('mona');
  const repo = gh.addRepo(owner, 'app');
  const silent = { debug() {}, info() {}, warn() {}, error() {} };
  await gh.seedRepository(repo, VERSION_FILES);
  return {
    gh,
    owner,
    author: gh.addAccount('hubot'),
    reviewer: gh.addAccount('octocat'),
    repo,
    octokit: new Octokit({ auth: owner.token, baseUrl: gh.url, log: silent }),
    where: { owner: 'mona', repo: 'app' },
    async git(...args) {
      const dir = await gh.gitDir(repo);
      return execFileSync('git', ['--git-dir', dir, ...args], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      }).trim();
    },
    async finish() {
      try {
        gh.expectNoViolations();
      } finally {
        await gh.close();
      }
    },
  };
}

/** The HTTP status a request ends with (200 for any success). */
export const statusOf = async (request: Promise<unknown>): Promise<number> =>
  request.then(
    () => 200,
    (err: { status?: number }) => err.status ?? 0,
  );
