/**
 * The forms' validator: rjsf's ValidatorType over @cfworker/json-schema, which interprets a schema
 * (draft 2020-12, what templates are written in) instead of compiling it to code. The gateway's
 * Content-Security-Policy (helmet's defaults: no 'unsafe-eval') forbids `new Function`, which ajv,
 * and so @rjsf/validator-ajv8, compiles every schema with; its precompiled mode needs the schemas
 * at build time, but templates come from the service (TEMPLATES_DIR) at run time. Interpreting
 * keeps the policy as it is. The service checks the inputs again with ajv on every plan and apply;
 * the messages here are worded as its are (`must match pattern "…"`, `is required`).
 */
import { Validator, type OutputUnit, type Schema } from '@cfworker/json-schema';
import {
  createErrorHandler,
  getDefaultFormState,
  toErrorSchema,
  unwrapErrorHandler,
  validationDataMerge,
  type CustomValidator,
  type ErrorTransformer,
  type RJSFSchema,
  type RJSFValidationError,
  type UiSchema,
  type ValidationData,
  type ValidatorType,
} from '@rjsf/utils';

type FormData = Record<string, unknown>;

/** Keywords whose failure only says that one below them failed: the one below is reported. */
const WRAPPERS = new Set(['properties', 'items', 'prefixItems', 'allOf', '$ref', 'additionalItems', 'then', 'else']);

/** The schema value a keyword location (`#/properties/app/pattern`) points at. */
function at(schema: unknown, location: string): unknown {
  return location
    .replace(/^#\/?/, '')
    .split('/')
    .filter(Boolean)
    .map((s) => decodeURIComponent(s).replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as FormData)[key] : undefined), schema);
}

/** The quoted name in cfworker's message for a required or additional property. */
const quoted = (error: string): string => /"([^"]*)"/.exec(error)?.[1] ?? '';

function message(unit: OutputUnit, value: unknown): string {
  const list = (v: unknown): string => (Array.isArray(v) ? v.map((x) => JSON.stringify(x)).join(', ') : String(v));
  switch (unit.keyword) {
    case 'required':
      return 'is required';
    case 'pattern':
      return `must match pattern "${String(value)}"`;
    case 'type':
      return `must be ${list(value)}`;
    case 'enum':
      return `must be one of ${list(value)}`;
    case 'format':
      return `must be a valid ${String(value)}`;
    case 'minLength':
      return `must be at least ${String(value)} characters`;
    case 'maxLength':
      return `must be at most ${String(value)} characters`;
    case 'minimum':
      return `must be ≥ ${String(value)}`;
    case 'maximum':
      return `must be ≤ ${String(value)}`;
    case 'minItems':
      return `must have at least ${String(value)} items`;
    case 'additionalProperties':
      return 'is not a known field';
    default:
      return unit.error.replace(/\.$/, '');
  }
}

/** cfworker's output units as rjsf's errors: the innermost ones, each on the property it is about. */
function rjsfErrors(schema: RJSFSchema, units: readonly OutputUnit[]): RJSFValidationError[] {
  return units
    .filter((unit) => !WRAPPERS.has(unit.keyword))
    .map((unit) => {
      const segments = unit.instanceLocation.replace(/^#\/?/, '').split('/').filter(Boolean);
      if (unit.keyword === 'required' || unit.keyword === 'additionalProperties') segments.push(quoted(unit.error));
      const property = segments.map((s) => `.${decodeURIComponent(s)}`).join('');
      const text = message(unit, at(schema, unit.keywordLocation));
      return {
        name: unit.keyword,
        property,
        message: text,
        schemaPath: unit.keywordLocation,
        stack: `${property.slice(1) || 'the form'} ${text}`,
      };
    });
}

function validate(schema: RJSFSchema, data: unknown, rootSchema: RJSFSchema = schema) {
  const withDefs = rootSchema.$defs && !schema.$defs ? { ...schema, $defs: rootSchema.$defs } : schema;
  return new Validator(withDefs as Schema, '2020-12', false).validate(data);
}

export const schemaValidator: ValidatorType<FormData> = {
  validateFormData(
    formData: FormData | undefined,
    schema: RJSFSchema,
    customValidate?: CustomValidator<FormData>,
    transformErrors?: ErrorTransformer<FormData>,
    uiSchema?: UiSchema<FormData>,
  ): ValidationData<FormData> {
    const found = rjsfErrors(schema, validate(schema, formData ?? {}).errors);
    const errors = transformErrors ? transformErrors(found, uiSchema) : found;
    const errorSchema = toErrorSchema<FormData>(errors);
    if (!customValidate) return { errors, errorSchema };
    const full = getDefaultFormState<FormData>(schemaValidator, schema, formData, schema, true) as FormData;
    const own = unwrapErrorHandler<FormData>(customValidate(full, createErrorHandler<FormData>(full), uiSchema));
    return validationDataMerge<FormData>({ errors, errorSchema }, own);
  },
  isValid: (schema, formData, rootSchema) => validate(schema, formData, rootSchema).valid,
  rawValidation<Result>(schema: RJSFSchema, formData?: FormData) {
    return { errors: validate(schema, formData).errors as Result[] };
  },
};
