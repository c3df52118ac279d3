/**
 * Releases (created by push workflows' runs, push-runs.ts): list (newest first), latest (the newest
 * published, not pre-release), by tag, by id, and update (name, body, tag, draft, prerelease).
 */
import { release as releaseBody } from '../fixtures-pulls';
import type { Repository } from '../state';
import type { Release } from '../state-pulls';
import { adminRepo } from './scopes';
import { notFound, page, unprocessable, type Route, type RouteRequest } from './route';

const EDITABLE = ['tag_name', 'target_commitish', 'name', 'body', 'draft', 'prerelease'];

const newestFirst = (repo: Repository): Release[] =>
  [...repo.releases].sort((a, b) => b.created_at.localeCompare(a.created_at) || b.id - a.id);

function releaseOf(req: RouteRequest, write = false): { repo: Repository; found: Release } {
  const repo = adminRepo(req, write);
  const found = repo.releases.find((r) => r.id === Number(req.params['release_id']));
  if (!found) throw notFound();
  return { repo, found };
}

export const releaseRoutes: readonly Route[] = [
  {
    method: 'get',
    template: '/repos/{owner}/{repo}/releases',
    scopes: [],
    handle(req) {
      const repo = adminRepo(req);
      return { status: 200, body: page(newestFirst(repo), req.query).map((r) => releaseBody(repo, r)) };
    },
  },
  {
    method: 'get',
    template: '/repos/{owner}/{repo}/releases/latest',
    scopes: [],
    handle(req) {
      const repo = adminRepo(req);
      const latest = newestFirst(repo).find((r) => !r.draft && !r.prerelease);
      if (!latest) throw notFound();
      return { status: 200, body: releaseBody(repo, latest) };
    },
  },
  {
    method: 'get',
    template: '/repos/{owner}/{repo}/releases/tags/{tag}',
    scopes: [],
    handle(req) {
      const repo = adminRepo(req);
      const found = repo.releases.find((r) => r.tag_name === req.params['tag']);
      if (!found) throw notFound();
      return { status: 200, body: releaseBody(repo, found) };
    },
  },
  {
    method: 'get',
    template: '/repos/{owner}/{repo}/releases/{release_id}',
    scopes: [],
    handle(req) {
      const { repo, found } = releaseOf(req);
      return { status: 200, body: releaseBody(repo, found) };
    },
  },
  {
    method: 'patch',
    template: '/repos/{owner}/{repo}/releases/{release_id}',
    scopes: ['repo'],
    handle(req) {
      const { repo, found } = releaseOf(req, true);
      const tag = req.body['tag_name'];
      if (tag !== undefined && repo.releases.some((r) => r !== found && r.tag_name === tag))
        throw unprocessable('Validation Failed', [{ resource: 'Release', code: 'already_exists', field: 'tag_name' }]);
      Object.assign(found, Object.fromEntries(Object.entries(req.body).filter(([key]) => EDITABLE.includes(key))));
      return { status: 200, body: releaseBody(repo, found) };
    },
  },
];
