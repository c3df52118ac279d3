/**
 * The payload converter of every client and worker, the workflow sandbox's included (`payloadConverterPath` of the
 * data converter, bundled into the workflow code): the SDK's default (undefined, binary, JSON) with the JSON's UTF-8
 * encoded and decoded by the runtime's own TextEncoder and TextDecoder. The SDK's JSON converter carries a UTF-8
 * codec written in JavaScript, for runtimes without one; Node has one, and gives it to the sandbox. Every execution
 * of a run decodes its whole input and encodes the next one's: for a 10,000-node graph (2.7 MB of JSON) the
 * JavaScript codec took about 65 ms to decode and 35 ms to encode, Node's 2 and 6 ms. The bytes are the same, so
 * payloads written with either read with either.
 */
import {
  BinaryPayloadConverter,
  CompositePayloadConverter,
  JsonPayloadConverter,
  METADATA_ENCODING_KEY,
  UndefinedPayloadConverter,
  ValueError,
  encodingKeys,
  type Payload,
} from '@temporalio/common';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The SDK's JSON converter, with Node's UTF-8 codec. */
class NativeUtf8JsonConverter extends JsonPayloadConverter {
  override toPayload(value: unknown): Payload | undefined {
    if (value === undefined) return undefined;
    let json: string;
    try {
      json = JSON.stringify(value);
    } catch {
      return undefined;
    }
    const bytes = encoder.encode(json);
    return {
      metadata: { [METADATA_ENCODING_KEY]: encodingKeys.METADATA_ENCODING_JSON },
      // A view of this realm's Uint8Array: in the sandbox the encoder is the host's, and the SDK checks `instanceof`.
      data: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length),
    };
  }

  override fromPayload<T>(content: Payload): T {
    if (content.data === undefined || content.data === null) throw new ValueError('Got payload with no data');
    return JSON.parse(decoder.decode(content.data)) as T;
  }
}

export const payloadConverter = new CompositePayloadConverter(
  new UndefinedPayloadConverter(),
  new BinaryPayloadConverter(),
  new NativeUtf8JsonConverter(),
);
