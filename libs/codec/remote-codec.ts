/**
 * The Temporal UI's remote codec protocol: POST /encode and /decode with `{"payloads": [...]}`, each payload
 * in protobuf JSON (metadata values and data in base64), answered in the same shape.
 */
import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { STRICT_BASE64 } from './encryption-keys';

export interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

/** A body that is not `{payloads: [...]}` in protobuf JSON; the message names the offending path. */
export class RemoteCodecInputError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`${path}: ${message}`);
    this.name = 'RemoteCodecInputError';
  }
}

function bytes(value: unknown, path: string): Uint8Array {
  if (typeof value !== 'string' || !STRICT_BASE64.test(value)) throw new RemoteCodecInputError(path, 'must be base64');
  return Buffer.from(value, 'base64');
}

export function payloadsFromJson(body: unknown): Payload[] {
  const list = (body as { payloads?: unknown } | null)?.payloads;
  if (typeof body !== 'object' || body === null || !Array.isArray(list)) {
    throw new RemoteCodecInputError('payloads', 'must be a list of payloads');
  }
  return list.map((item: unknown, i) => {
    if (typeof item !== 'object' || item === null)
      throw new RemoteCodecInputError(`payloads[${i}]`, 'must be an object');
    const { metadata = {}, data = '' } = item as { metadata?: unknown; data?: unknown };
    if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
      throw new RemoteCodecInputError(`payloads[${i}].metadata`, 'must be an object of base64 values');
    }
    return {
      metadata: Object.fromEntries(
        Object.entries(metadata).map(([key, value]) => [key, bytes(value, `payloads[${i}].metadata.${key}`)]),
      ),
      data: bytes(data, `payloads[${i}].data`),
    };
  });
}

export function payloadsToJson(payloads: Payload[]): { payloads: JsonPayload[] } {
  return {
    payloads: payloads.map((payload) =>
      temporal.api.common.v1.Payload.toObject(temporal.api.common.v1.Payload.create(payload), {
        bytes: String,
        defaults: false,
      }),
    ) as JsonPayload[],
  };
}

export async function runRemoteCodec(
  codec: PayloadCodec,
  direction: 'encode' | 'decode',
  body: unknown,
): Promise<{ payloads: JsonPayload[] }> {
  const payloads = payloadsFromJson(body);
  return payloadsToJson(direction === 'encode' ? await codec.encode(payloads) : await codec.decode(payloads));
}
