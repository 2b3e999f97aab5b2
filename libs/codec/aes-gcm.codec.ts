/**
 * Encryption at rest for everything tminus hands to Temporal (workflow inputs, state, update and query
 * results, memo, summaries): a PayloadCodec that encrypts each payload with AES-256-GCM under the active key
 * and names that key in the payload's metadata, so that payloads written under an older key still decrypt
 * after a rotation. Search attributes and headers never go through codecs (they stay plain: ids and codes).
 *
 * Codecs run in the worker's and client's Node.js process, outside the workflow sandbox, so node:crypto is fine.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { ACTIVE_KEY_VARIABLE, KEYS_VARIABLE, type EncryptionKeyRing } from './encryption-keys';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const ALGORITHM = 'aes-256-gcm';

const utf8 = (text: string) => Buffer.from(text, 'utf8');

export class PayloadDecryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PayloadDecryptionError';
  }
}

function isEncrypted(payload: Payload): boolean {
  const encoding = payload.metadata?.encoding;
  return !!encoding && Buffer.from(encoding).toString('utf8') === ENCRYPTED_ENCODING;
}

const keyIdOf = (payload: Payload) => Buffer.from(payload.metadata?.[KEY_ID_METADATA] ?? []).toString('utf8');

/**
 * The codec of a process configured without keys: writes plain payloads, and says clearly why it cannot read
 * an encrypted one (rather than the payload converter's "unknown encoding").
 */
export class PlaintextPayloadCodec implements PayloadCodec {
  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads;
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    const encrypted = payloads.find(isEncrypted);
    if (encrypted) {
      throw new PayloadDecryptionError(
        `payload encrypted with key "${keyIdOf(encrypted)}", but ${KEYS_VARIABLE} is not set in this process`,
      );
    }
    return payloads;
  }
}

export class AesGcmPayloadCodec implements PayloadCodec {
  constructor(private readonly keyRing: EncryptionKeyRing) {}

  get activeKeyId(): string {
    return this.keyRing.activeKeyId;
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => this.encrypt(payload));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => this.decrypt(payload));
  }

  private encrypt(payload: Payload): Payload {
    const keyId = this.keyRing.activeKeyId;
    const plaintext = temporal.api.common.v1.Payload.encode(payload).finish();
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.keyRing.keys.get(keyId)!, iv);
    // The key id is authenticated too: a payload relabelled with another key id does not decrypt.
    cipher.setAAD(utf8(keyId));
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return {
      metadata: { encoding: utf8(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: utf8(keyId) },
      data: Buffer.concat([iv, ciphertext, cipher.getAuthTag()]),
    };
  }

  private decrypt(payload: Payload): Payload {
    // Payloads written before encryption was turned on stay readable as they are.
    if (!isEncrypted(payload)) return payload;
    const keyId = keyIdOf(payload);
    if (!keyId) throw new PayloadDecryptionError(`encrypted payload without a ${KEY_ID_METADATA}`);
    const key = this.keyRing.keys.get(keyId);
    if (!key) {
      throw new PayloadDecryptionError(
        `payload encrypted with key "${keyId}", which is not in ${KEYS_VARIABLE} (known: ${[...this.keyRing.keys.keys()].join(', ')}); ` +
          `keep retired keys listed until no payload needs them (${ACTIVE_KEY_VARIABLE} only picks the key for new payloads)`,
      );
    }
    const data = Buffer.from(payload.data ?? new Uint8Array());
    if (data.length < IV_BYTES + TAG_BYTES) {
      throw new PayloadDecryptionError(`encrypted payload (key "${keyId}") is truncated`);
    }
    const decipher = createDecipheriv(ALGORITHM, key, data.subarray(0, IV_BYTES));
    decipher.setAAD(utf8(keyId));
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    let plaintext: Buffer;
    try {
      plaintext = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
    } catch {
      throw new PayloadDecryptionError(
        `payload encrypted with key "${keyId}" failed authentication: it was altered, or "${keyId}" is not the key it was written with`,
      );
    }
    return temporal.api.common.v1.Payload.decode(plaintext);
  }
}
