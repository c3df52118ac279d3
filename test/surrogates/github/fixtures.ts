/**
 * Response bodies in GitHub's documented shapes. Each starts from the example GitHub publishes
 * in its OpenAPI description and overrides what the surrogate's state knows; the validator then
 * checks every one that is sent.
 */
import {
  isOrganization,
  nodeId,
  ownerLogin,
  timestamp,
  type Account,
  type Environment,
  type Organization,
  type Repository,
  type StoredSecret,
  type Workflow,
  type WorkflowRun,
} from './state';

interface Examples {
  readonly components: { readonly examples: Readonly<Record<string, { readonly value: unknown }>> };
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const spec = require('@octokit/openapi/generated/api.github.com.json') as Examples;

export function example(name: string): Record<string, unknown> {
  const found = spec.components.examples[name];
  if (!found) throw new Error(`no example ${name} in GitHub's OpenAPI description`);
  return structuredClone(found.value) as Record<string, unknown>;
}

export const API = 'https://api.github.com';
export const WEB = 'https://github.com';

export function simpleUser(owner: Account | Organization): Record<string, unknown> {
  const base = example('full-repository').owner as Record<string, unknown>;
  const login = ownerLogin(owner);
  return {
    ...base,
    login,
    id: owner.id,
    node_id: nodeId(isOrganization(owner) ? 'Organization' : 'User', owner.id),
    url: `${API}/users/${login}`,
    html_url: `${WEB}/${login}`,
    type: isOrganization(owner) ? 'Organization' : 'User',
  };
}

export function fullRepository(repo: Repository): Record<string, unknown> {
  const base = example('full-repository');
  delete base['organization'];
  delete base['parent'];
  delete base['source'];
  delete base['template_repository'];
  const fullName = `${ownerLogin(repo.owner)}/${repo.name}`;
  return {
    ...base,
    id: repo.id,
    node_id: repo.node_id,
    name: repo.name,
    full_name: fullName,
    owner: simpleUser(repo.owner),
    private: repo.private,
    visibility: repo.private ? 'private' : 'public',
    description: repo.description,
    archived: repo.archived,
    html_url: `${WEB}/${fullName}`,
    url: `${API}/repos/${fullName}`,
    default_branch: 'main',
    has_discussions: false,
    language: null,
    created_at: repo.created_at,
    updated_at: repo.updated_at,
    pushed_at: repo.updated_at,
    ...(isOrganization(repo.owner) ? { organization: simpleUser(repo.owner) } : {}),
  };
}

export function minimalRepository(repo: Repository): Record<string, unknown> {
  const full = fullRepository(repo);
  const keep = (example('public-repository-paginated').repositories as Record<string, unknown>[])[0] ?? {};
  return Object.fromEntries(Object.keys(keep).map((k) => [k, full[k] ?? keep[k]]));
}

export function environment(repo: Repository, env: Environment): Record<string, unknown> {
  const fullName = `${ownerLogin(repo.owner)}/${repo.name}`;
  return {
    id: env.id,
    node_id: env.node_id,
    name: env.name,
    url: `${API}/repos/${fullName}/environments/${encodeURIComponent(env.name)}`,
    html_url: `${WEB}/${fullName}/deployments/activity_log?environments_filter=${encodeURIComponent(env.name)}`,
    created_at: env.created_at,
    updated_at: env.updated_at,
    protection_rules: [],
    deployment_branch_policy: null,
  };
}

export function secretMetadata(secret: StoredSecret, orgSecretsUrl?: string): Record<string, unknown> {
  return {
    name: secret.name,
    created_at: secret.created_at,
    updated_at: secret.updated_at,
    ...(secret.visibility ? { visibility: secret.visibility } : {}),
    ...(secret.visibility === 'selected' && orgSecretsUrl
      ? { selected_repositories_url: `${orgSecretsUrl}/${secret.name}/repositories` }
      : {}),
  };
}

export function workflow(repo: Repository, wf: Workflow): Record<string, unknown> {
  const fullName = `${ownerLogin(repo.owner)}/${repo.name}`;
  return {
    id: wf.id,
    node_id: wf.node_id,
    name: wf.name,
    path: wf.path,
    state: 'active',
    created_at: wf.created_at,
    updated_at: wf.created_at,
    url: `${API}/repos/${fullName}/actions/workflows/${wf.id}`,
    html_url: `${WEB}/${fullName}/blob/main/${wf.path}`,
    badge_url: `${WEB}/${fullName}/workflows/${encodeURIComponent(wf.name)}/badge.svg`,
  };
}

export type RunStatus = 'queued' | 'in_progress' | 'completed';

/**
 * A run's state at `now`: queued, then in progress, then completed with the workflow's conclusion
 * (a polled run: in progress until its reads complete it).
 */
export function runState(
  run: WorkflowRun,
  now: number,
): { status: RunStatus; conclusion: string | null; updated_ms: number } {
  if (run.cancelled_ms !== null) return { status: 'completed', conclusion: 'cancelled', updated_ms: run.cancelled_ms };
  if (run.polled) {
    const completed = run.polled.completed_ms;
    if (completed === null) return { status: 'in_progress', conclusion: null, updated_ms: run.created_ms };
    return { status: 'completed', conclusion: run.workflow.conclusion, updated_ms: completed };
  }
  const started = run.created_ms + run.workflow.queued_ms;
  const finished = started + run.workflow.running_ms;
  if (now < started) return { status: 'queued', conclusion: null, updated_ms: run.created_ms };
  if (now < finished) return { status: 'in_progress', conclusion: null, updated_ms: started };
  return { status: 'completed', conclusion: run.workflow.conclusion, updated_ms: finished };
}

export const runHtmlUrl = (run: WorkflowRun): string =>
  `${WEB}/${ownerLogin(run.repo.owner)}/${run.repo.name}/actions/runs/${run.id}`;
export const runApiUrl = (run: WorkflowRun): string =>
  `${API}/repos/${ownerLogin(run.repo.owner)}/${run.repo.name}/actions/runs/${run.id}`;

export function workflowRun(run: WorkflowRun, now: number): Record<string, unknown> {
  const base = example('workflow-run');
  const state = runState(run, now);
  const repo = minimalRepository(run.repo);
  const api = runApiUrl(run);
  const fullName = `${ownerLogin(run.repo.owner)}/${run.repo.name}`;
  return {
    ...base,
    id: run.id,
    name: run.workflow.name,
    node_id: nodeId('WorkflowRun', run.id),
    head_branch: run.head_branch,
    head_sha: run.head_sha ?? base['head_sha'],
    path: run.workflow.path,
    run_number: run.run_number,
    run_attempt: 1,
    event: run.event,
    display_title: run.display_title,
    status: state.status,
    conclusion: state.conclusion,
    workflow_id: run.workflow.id,
    url: api,
    html_url: runHtmlUrl(run),
    created_at: timestamp(run.created_ms),
    updated_at: timestamp(state.updated_ms),
    run_started_at: timestamp(run.created_ms),
    pull_requests: [],
    jobs_url: `${api}/jobs`,
    logs_url: `${api}/logs`,
    check_suite_url: `${API}/repos/${fullName}/check-suites/${run.id}`,
    artifacts_url: `${api}/artifacts`,
    cancel_url: `${api}/cancel`,
    rerun_url: `${api}/rerun`,
    previous_attempt_url: null,
    workflow_url: `${API}/repos/${fullName}/actions/workflows/${run.workflow.id}`,
    actor: simpleUser(run.actor),
    triggering_actor: simpleUser(run.actor),
    ...(run.head_sha === null
      ? {}
      : {
          head_commit: {
            ...(base['head_commit'] as Record<string, unknown>),
            id: run.head_sha,
            message: run.display_title,
          },
        }),
    repository: repo,
    head_repository: repo,
  };
}

export function privateUser(account: Account): Record<string, unknown> {
  const base = example('private-user-response-with-public-and-private-profile-information');
  return {
    ...base,
    ...simpleUser(account),
    name: account.login,
    created_at: '2020-01-01T00:00:00Z',
    updated_at: '2020-01-01T00:00:00Z',
  };
}

export function rateLimitOverview(limit: number, used: number, reset: number): Record<string, unknown> {
  const base = example('rate-limit-overview') as { resources: Record<string, unknown> };
  const core = { limit, used, remaining: Math.max(0, limit - used), reset };
  return { resources: { ...base.resources, core }, rate: core };
}
