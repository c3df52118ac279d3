/**
 * Placeholders in a template's config, and their substitution (pure: no I/O, no clock).
 *
 * A placeholder is `{{inputs.<name>}}` inside a string value (spaces inside the braces allowed);
 * braces without a dot inside (`{{run_url}}`) belong to the resource type and pass through.
 * A string that is exactly one placeholder becomes the input's value with its JSON type (number,
 * boolean, array, object…); when that input has no value (optional, no default) the property is
 * left out of its object, or the element out of its array. A placeholder inside a longer string is
 * replaced by the value's text (a string as is, anything else as JSON), so its input must always
 * have a value: required, or with a default. Object keys are never substituted.
 */

/**
 * Every `{{…}}` in a string whose content has a dot (`inputs.x`, and mistakes like `secrets.x`);
 * group 1 is what the braces hold. `{{name}}` without one is not the template's: a resource type's
 * own (slack:message fills `{{run_url}}` from its references), left as it is.
 */
const BRACES = /\{\{\s*([^{}]*?\.[^{}]*?)\s*\}\}/g;
const INPUT_REFERENCE = /^inputs\.([A-Za-z_][A-Za-z0-9_]*)$/;
/** A string that is one placeholder and nothing else. */
const WHOLE = /^\{\{\s*inputs\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}$/;

/** What a placeholder refers to: an input by name, or nothing it may name (`{{foo}}`, `{{inputs.a.b}}`). */
export type PlaceholderUse =
  | {
      readonly kind: 'input';
      readonly name: string;
      readonly text: string;
      readonly whole: boolean;
      readonly at: string;
    }
  | { readonly kind: 'invalid'; readonly text: string; readonly at: string }
  | { readonly kind: 'in-key'; readonly text: string; readonly at: string };

const childPath = (at: string, key: string | number): string =>
  typeof key === 'number' ? `${at}[${key}]` : at === '' ? key : `${at}.${key}`;

function usesInString(value: string, at: string): PlaceholderUse[] {
  const whole = WHOLE.test(value);
  return [...value.matchAll(BRACES)].map((match) => {
    const name = INPUT_REFERENCE.exec(match[1] ?? '')?.[1];
    return name === undefined
      ? { kind: 'invalid', text: match[0], at }
      : { kind: 'input', name, text: match[0], whole, at };
  });
}

/** Every placeholder in `value` with the path of the string it is in (`resources.build.properties.duration_ms`). */
export function placeholderUses(value: unknown, at = ''): PlaceholderUse[] {
  if (typeof value === 'string') return usesInString(value, at);
  if (Array.isArray(value)) return value.flatMap((item, i) => placeholderUses(item, childPath(at, i)));
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, item]) => [
    ...[...key.matchAll(BRACES)].map((m): PlaceholderUse => ({ kind: 'in-key', text: m[0], at: childPath(at, key) })),
    ...placeholderUses(item, childPath(at, key)),
  ]);
}

/** An input's value as text inside a longer string. */
const asText = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));

/** Marks a value that is left out (a whole placeholder of an input without a value). */
const ABSENT = Symbol('absent');

/** The input's value, or ABSENT (own properties only: an input named `constructor` is no function). */
const valueOf = (inputs: Readonly<Record<string, unknown>>, name: string): unknown =>
  Object.hasOwn(inputs, name) && inputs[name] !== undefined ? inputs[name] : ABSENT;

function renderValue(value: unknown, inputs: Readonly<Record<string, unknown>>): unknown {
  if (typeof value === 'string') {
    const whole = WHOLE.exec(value);
    if (whole) return valueOf(inputs, whole[1] ?? '');
    return value.replace(BRACES, (text: string, inner: string) => {
      const name = INPUT_REFERENCE.exec(inner)?.[1];
      const input = name === undefined ? ABSENT : valueOf(inputs, name);
      // A template's placeholders are checked when it loads: this is a fault of the caller.
      if (input === ABSENT) throw new Error(`placeholder ${text} has no value`);
      return asText(input);
    });
  }
  if (Array.isArray(value)) return value.map((item) => renderValue(item, inputs)).filter((item) => item !== ABSENT);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .map(([key, item]) => [key, renderValue(item, inputs)] as const)
      .filter(([, item]) => item !== ABSENT),
  );
}

/**
 * The config with every placeholder replaced by its input's value (`inputs`: validated, defaults
 * applied). A new value: `config` is not changed.
 */
export function renderTemplate(
  config: Readonly<Record<string, unknown>>,
  inputs: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  return renderValue(config, inputs) as Record<string, unknown>;
}
