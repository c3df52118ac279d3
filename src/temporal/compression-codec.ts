/**
 * Gzips payloads larger than a threshold, so a 10,000-node graph (its input, its status, its
 * continue-as-new state) stays under Temporal's per-payload limit (2 MB by default). Smaller
 * payloads pass untouched and stay readable in the Web UI and `temporal workflow show`.
 * Runs in the client and the worker (never inside the workflow sandbox).
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

export const GZIP_ENCODING = 'binary/gzip-payload';
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class CompressionCodec implements PayloadCodec {
  constructor(private readonly thresholdBytes = 256 * 1024) {}

  encode(payloads: Payload[]): Promise<Payload[]> {
    return Promise.resolve(
      payloads.map((payload) => {
        if ((payload.data?.length ?? 0) < this.thresholdBytes) return payload;
        const packed = temporal.api.common.v1.Payload.encode(payload).finish();
        return { metadata: { encoding: encoder.encode(GZIP_ENCODING) }, data: gzipSync(packed) };
      }),
    );
  }

  decode(payloads: Payload[]): Promise<Payload[]> {
    return Promise.resolve(
      payloads.map((payload) => {
        const encoding = payload.metadata?.['encoding'];
        if (!encoding || decoder.decode(encoding) !== GZIP_ENCODING || !payload.data) return payload;
        return temporal.api.common.v1.Payload.decode(gunzipSync(payload.data)) as Payload;
      }),
    );
  }
}

/**
 * The data converter every client and worker of this service uses: this codec, and the JSON payload converter with
 * Node's UTF-8 codec (json-payload-converter.ts), which workflow bundles carry too (src/runtime/workflow-bundle.ts).
 */
export const dataConverter = {
  payloadCodecs: [new CompressionCodec()],
  payloadConverterPath: require.resolve('./json-payload-converter'),
};
