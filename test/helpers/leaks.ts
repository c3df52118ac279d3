/**
 * Finding plaintext secrets where they must never be: a canary string plain, JSON-escaped, or
 * base64 at any byte offset, in a text and in every base64 token of it decoded (payload data in
 * Temporal histories is base64 JSON).
 */

/** Base64 of `canary` as it appears inside longer base64 text, whatever its byte offset there. */
function base64Forms(canary: string): string[] {
  return [0, 1, 2].map((offset) => {
    const encoded = Buffer.from('\0'.repeat(offset) + canary).toString('base64');
    const start = Math.ceil((offset * 4) / 3) + (offset === 0 ? 0 : 1);
    return encoded.slice(start, start + Math.floor((canary.length * 4) / 3) - 4);
  });
}

/** The text plus every base64 token in it decoded. */
function withDecoded(text: string): string {
  const decoded = [...text.matchAll(/[A-Za-z0-9+/]{12,}={0,2}/g)].map((m) =>
    Buffer.from(m[0], 'base64').toString('utf8'),
  );
  return [text, ...decoded].join('\n');
}

/** One line per canary (by name) found in `text`, saying where and in which form. */
export function leaks(canaries: Readonly<Record<string, string>>, where: string, text: string): string[] {
  const haystack = withDecoded(text);
  return Object.entries(canaries).flatMap(([name, canary]) => {
    const forms = [canary, JSON.stringify(canary).slice(1, -1), ...base64Forms(canary)];
    return forms
      .filter((form) => haystack.includes(form))
      .map((form) => `${name} found in ${where} as ${form === canary ? 'plain text' : JSON.stringify(form)}`);
  });
}

/** A fetched history as text with its bytes (payload data) in base64, as `temporal workflow show --output json` writes them. */
export const historyText = (history: unknown): string =>
  JSON.stringify(history, (_key, value: unknown) =>
    value instanceof Uint8Array ? Buffer.from(value).toString('base64') : value,
  );
