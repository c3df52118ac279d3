/**
 * The service's JSON payload converter writes the bytes the SDK's default converter writes and reads what it wrote,
 * so workers and clients on either read each other's payloads (a rolling upgrade has both at once).
 */
import { defaultPayloadConverter } from '@temporalio/common';
import { payloadConverter } from '../../src/temporal/json-payload-converter';

const values: unknown[] = [
  { graph: { nodes: [{ node_id: 'a', properties: { duration_ms: 0 } }], edges: [] } },
  'plain ascii',
  'ünïcödé · 日本語 · emoji 🚀',
  'a lone surrogate \ud800 and a reversed pair \udc00\ud800',
  [1, 2.5, -3e21, true, false, null],
  { nested: { deeper: { deepest: ['x', { y: 'z' }] } } },
  0,
  '',
];

describe('the JSON payload converter with Node’s UTF-8 codec', () => {
  it.each(values.map((value) => [JSON.stringify(value), value]))('writes what the SDK writes: %s', (_, value) => {
    expect(payloadConverter.toPayload(value)).toEqual(defaultPayloadConverter.toPayload(value));
  });

  it.each(values.map((value) => [JSON.stringify(value), value]))('reads what the SDK wrote: %s', (_, value) => {
    const written = defaultPayloadConverter.toPayload(value);
    expect(payloadConverter.fromPayload(written)).toEqual(defaultPayloadConverter.fromPayload(written));
    expect(defaultPayloadConverter.fromPayload(payloadConverter.toPayload(value))).toEqual(
      defaultPayloadConverter.fromPayload(written),
    );
  });

  it('leaves undefined and bytes to the converters before it, as the SDK does', () => {
    const bytes = new Uint8Array([0, 1, 255]);
    expect(payloadConverter.toPayload(undefined)).toEqual(defaultPayloadConverter.toPayload(undefined));
    expect(payloadConverter.toPayload(bytes)).toEqual(defaultPayloadConverter.toPayload(bytes));
    expect(payloadConverter.fromPayload(payloadConverter.toPayload(undefined))).toBeUndefined();
  });

  it('refuses a payload without data as the SDK does', () => {
    const empty = { metadata: defaultPayloadConverter.toPayload({}).metadata ?? null };
    expect(() => payloadConverter.fromPayload(empty)).toThrow('Got payload with no data');
    expect(() => defaultPayloadConverter.fromPayload(empty)).toThrow('Got payload with no data');
  });
});
