/**
 * Requests that carry a deployment config. The envelope is checked by zod, the config by the
 * spec validator (types, properties, references, cycles, duplicate names…); every problem of
 * both comes back in one 400, config paths prefixed with `config.`.
 */
import { z } from 'zod';
import { registry } from '../../resources/registry';
import type { DeploymentConfig } from '../../model/config-schema';
import { validateConfig } from '../../model/validate-config';
import { ValidationError, type FieldIssue } from '../errors/api-errors';
import { zodIssues } from './parse';

const prefixed = (path: string): string => (path === '' ? 'config' : `config.${path}`);

function configIssues(raw: unknown): { config: DeploymentConfig | undefined; issues: FieldIssue[] } {
  const result = validateConfig(raw, registry);
  if (result.ok) return { config: result.config, issues: [] };
  return {
    config: undefined,
    issues: result.errors.map((e) => ({
      path: prefixed(e.path),
      message: e.message,
      resource_id: e.resource_id ?? undefined,
    })),
  };
}

type WithConfig<S extends z.ZodObject> = z.output<S> & { config: DeploymentConfig };
type MaybeConfig<S extends z.ZodObject> = z.output<S> & { config?: DeploymentConfig | undefined };

/** Rules across fields, checked on the raw body so their problems come with the schema's. */
export type CrossFieldRules = (body: Readonly<Record<string, unknown>>) => FieldIssue[];

/**
 * A parser of a body made of `envelope`'s fields and a `config`; with `required: false` the
 * config may be omitted (runs of the stored config).
 */
export function configRequestParser<S extends z.ZodObject>(
  envelope: S,
  required: true,
  rules?: CrossFieldRules,
): (raw: unknown) => WithConfig<S>;
export function configRequestParser<S extends z.ZodObject>(
  envelope: S,
  required: false,
  rules?: CrossFieldRules,
): (raw: unknown) => MaybeConfig<S>;
export function configRequestParser<S extends z.ZodObject>(
  envelope: S,
  required: boolean,
  rules: CrossFieldRules = () => [],
) {
  const loose = envelope.extend({ config: z.unknown() });
  return (raw: unknown): MaybeConfig<S> => {
    const outer = loose.safeParse(raw ?? {});
    const issues = outer.success ? [] : zodIssues(outer.error, '');
    const body = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
    const given = body['config'];
    const checked = given === undefined ? { config: undefined, issues: [] } : configIssues(given);
    issues.push(...checked.issues);
    if (given === undefined && required) issues.push({ path: 'config', message: 'is required' });
    issues.push(...rules(body));
    if (issues.length > 0 || !outer.success) throw new ValidationError(issues);
    return { ...(outer.data as z.output<S>), config: checked.config };
  };
}
