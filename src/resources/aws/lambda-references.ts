/**
 * What a Lambda function's role, code and layers resolve to: its properties, else its references
 * (`role`, `code`, `layer…`), checked, each problem an error that names the function. A read (plan,
 * verify) shows a declared reference that has no value yet as pending; a write (apply) needs it.
 */
import { OperationError } from '../../providers/operation-error';
import type { NodeTarget } from '../resource-type';
import { type CodeProperties, codeSource, s3Location } from './lambda-code';

export const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\x21-\x7e]+$/;
export const LAYER_ARN = /^arn:aws[a-z-]*:lambda:([a-z0-9-]+):\d{12}:layer:[\w-]{1,140}:\d+$/;
export const LAYER_ARN_FORM = 'arn:aws:lambda:<region>:<account>:layer:<name>:<version>';
export const MAX_LAYERS = 5;

/** What the resolution reads of a function's properties. */
interface FunctionInputs extends CodeProperties {
  readonly function_name: string;
  readonly role_arn?: string | undefined;
  readonly layers: readonly string[];
}
type Target = NodeTarget<FunctionInputs>;

export const functionLabel = (target: Target): string =>
  `Lambda function ${target.properties.function_name} (${target.node.region ?? 'default region'})`;
const invalid = (target: Target, why: string): OperationError =>
  new OperationError('invalid_input', `${functionLabel(target)}: ${why}`, { retryable: false });

/**
 * `read`: a plan or verify, which shows a declared reference without a value as pending;
 * `write`: an apply, which needs it.
 */
export type Mode = 'read' | 'write';

/** What a read shows in the place of a value a declared reference does not have yet. */
export class Pending {
  constructor(readonly shown: string) {}
}

/** A reference's value; undefined when it is not declared; a `Pending` on a read when it is declared but has no value yet. */
function refOf(target: Target, name: string, mode: Mode): unknown {
  const value = target.refs[name];
  if (value !== undefined && value !== null) return value;
  const ref = target.node.references[name];
  if (!ref) return undefined;
  const why = `references.${name} "${ref.raw}" is unresolved until ${ref.resource_id} has been applied`;
  if (mode === 'read') return new Pending(`(${why})`);
  throw new OperationError('reference', `${functionLabel(target)}: ${why}`, { retryable: false });
}

const declared = (target: Target, name: string): boolean =>
  target.node.references[name] !== undefined || target.refs[name] !== undefined;

export function roleOf(target: Target, mode: Mode): string {
  const role = target.properties.role_arn ?? refOf(target, 'role', mode);
  if (role instanceof Pending) return role.shown;
  if (typeof role === 'string' && ROLE_ARN.test(role)) return role;
  const why =
    role === undefined
      ? 'neither role_arn nor a "role" reference is given'
      : `the role ${JSON.stringify(role)} is not an IAM role ARN`;
  throw invalid(target, `${why}; set properties.role_arn or references.role to an aws:iam:role resource`);
}

/** The code as properties give it, else as the `code` reference does (an S3 object's ARN, or its `s3_uri`), as S3 code. */
export function codeFrom(target: Target, mode: 'write'): CodeProperties;
export function codeFrom(target: Target, mode: Mode): CodeProperties | Pending;
export function codeFrom(target: Target, mode: Mode): CodeProperties | Pending {
  const p = target.properties;
  const given = p.zip_file !== undefined || p.code_s3_bucket !== undefined;
  if (given && declared(target, 'code'))
    throw invalid(
      target,
      'the code is given twice: by zip_file or code_s3_bucket/code_s3_key and by references.code; give only one',
    );
  if (given) return p;
  const ref = refOf(target, 'code', mode);
  if (ref instanceof Pending) return ref;
  if (ref === undefined)
    throw invalid(
      target,
      'no code is given: set properties.zip_file, or properties.code_s3_bucket and code_s3_key, or references.code to an aws:s3:object resource',
    );
  const location = s3Location(ref);
  if (!location)
    throw invalid(
      target,
      `references.code is ${JSON.stringify(ref)}, which is not an S3 object (arn:aws:s3:::<bucket>/<key>): reference an aws:s3:object resource`,
    );
  return { code_s3_bucket: location.bucket, code_s3_key: location.key };
}

export const sourceOf = (code: CodeProperties | Pending): string =>
  code instanceof Pending ? code.shown : codeSource(code);

/** Reference names in the order their layers follow `layers`: by name, a number in it compared as a number (`layer_2` before `layer_10`). */
const byName = (a: string, b: string): number => a.localeCompare(b, 'en', { numeric: true });

/** `layers`, then the `layer…` references' layers; each a version ARN of the function's region, at most one version of a layer. */
export function layersOf(target: Target, mode: Mode): string[] {
  const names = [...new Set([...Object.keys(target.node.references), ...Object.keys(target.refs)])]
    .filter((name) => name.startsWith('layer'))
    .sort(byName);
  const referenced = names.map((name) => {
    const value = refOf(target, name, mode);
    if (value instanceof Pending) return value.shown;
    if (typeof value === 'string' && LAYER_ARN.test(value)) return value;
    throw invalid(
      target,
      `references.${name} is ${JSON.stringify(value)}, which is not a layer version ARN (${LAYER_ARN_FORM}): reference an aws:lambda:layer's version_arn, e.g. "<layer>.version_arn"`,
    );
  });
  const layers = [...target.properties.layers, ...referenced];
  if (layers.length > MAX_LAYERS)
    throw invalid(
      target,
      `Lambda takes at most ${MAX_LAYERS} layers; properties.layers and the layer references give ${layers.length}`,
    );
  const region = target.node.region;
  const elsewhere = layers.filter((arn) => {
    const at = LAYER_ARN.exec(arn)?.[1];
    return region !== null && at !== undefined && at !== region;
  });
  if (elsewhere.length > 0)
    throw invalid(
      target,
      `Lambda takes layers of the function's own region (${region ?? ''}), not ${elsewhere.join(', ')}: for a function in several regions, reference an aws:lambda:layer resource (references.layer)`,
    );
  const layerNames = layers.map((arn) => arn.replace(/:\d+$/, ''));
  const twice = layerNames.filter((name, i) => layerNames.indexOf(name) !== i);
  if (twice.length > 0)
    throw invalid(target, `Lambda takes one version of each layer, and ${twice.join(', ')} is given more than once`);
  return layers;
}
