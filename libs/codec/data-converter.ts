/** The one place that turns the validated environment into the data converter every Temporal client and worker uses. */
import type { DataConverter } from '@temporalio/common';
import { AesGcmPayloadCodec, PlaintextPayloadCodec } from './aes-gcm.codec';
import { parseEncryptionKeys } from './encryption-keys';

export interface PayloadEncryptionEnv {
  PAYLOAD_ENCRYPTION_KEYS?: string;
  PAYLOAD_ENCRYPTION_ACTIVE_KEY?: string;
}

/** The codec for the configured keys; without keys, payloads stay plain (and encrypted ones are refused clearly). */
export function payloadCodecFromEnv(env: PayloadEncryptionEnv): AesGcmPayloadCodec | PlaintextPayloadCodec {
  if (!env.PAYLOAD_ENCRYPTION_KEYS) return new PlaintextPayloadCodec();
  return new AesGcmPayloadCodec(parseEncryptionKeys(env.PAYLOAD_ENCRYPTION_KEYS, env.PAYLOAD_ENCRYPTION_ACTIVE_KEY));
}

/** For `new Client({ dataConverter })`, `Worker.create({ dataConverter })` and the test environments. */
export function dataConverterFromEnv(env: PayloadEncryptionEnv): DataConverter {
  return { payloadCodecs: [payloadCodecFromEnv(env)] };
}
