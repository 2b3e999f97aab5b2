/**
 * The payload encryption keys, from configuration: `PAYLOAD_ENCRYPTION_KEYS` lists every key that may still
 * be needed to decrypt (`keyId:base64 of 32 bytes`, comma-separated) and `PAYLOAD_ENCRYPTION_ACTIVE_KEY` names
 * the one new payloads are encrypted with. Rotating = adding a key, making it active, keeping the old ones.
 */
export const KEYS_VARIABLE = 'PAYLOAD_ENCRYPTION_KEYS';
export const ACTIVE_KEY_VARIABLE = 'PAYLOAD_ENCRYPTION_ACTIVE_KEY';

/** Key ids travel in every payload's metadata: short, printable, no separators of the list syntax. */
const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;
/** Canonical base64, padded: what Buffer would otherwise half-accept is refused. */
export const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
export const KEY_BYTES = 32;

export interface EncryptionKeyRing {
  activeKeyId: string;
  /** Every configured key by id, the active one included. */
  keys: ReadonlyMap<string, Buffer>;
}

/** Parses and checks both variables; throws an Error whose message names the variable at fault. */
export function parseEncryptionKeys(keysText: string, activeKeyId: string | undefined): EncryptionKeyRing {
  const keys = new Map<string, Buffer>();
  const entries = keysText
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.length === 0) throw new Error(`${KEYS_VARIABLE} lists no key (use keyId:base64 of 32 bytes)`);
  for (const [index, entry] of entries.entries()) {
    const colon = entry.indexOf(':');
    const id = colon < 0 ? '' : entry.slice(0, colon);
    const material = colon < 0 ? '' : entry.slice(colon + 1);
    // The key material itself is never echoed in a message: it would end up in logs.
    if (!KEY_ID.test(id)) {
      throw new Error(
        `${KEYS_VARIABLE}: entry ${index + 1} must be keyId:base64, with a key id of letters, digits, '.', '_' or '-'`,
      );
    }
    if (keys.has(id)) throw new Error(`${KEYS_VARIABLE}: key id "${id}" appears twice`);
    const bytes = STRICT_BASE64.test(material) ? Buffer.from(material, 'base64') : undefined;
    if (!bytes || bytes.length !== KEY_BYTES) {
      throw new Error(
        `${KEYS_VARIABLE}: key "${id}" must be ${KEY_BYTES} bytes in base64 (e.g. from: openssl rand -base64 32)`,
      );
    }
    keys.set(id, bytes);
  }
  if (!activeKeyId) {
    throw new Error(`${ACTIVE_KEY_VARIABLE} is required with ${KEYS_VARIABLE}: the key id new payloads use`);
  }
  if (!keys.has(activeKeyId)) {
    throw new Error(`${ACTIVE_KEY_VARIABLE} "${activeKeyId}" is not one of the key ids in ${KEYS_VARIABLE}`);
  }
  return { activeKeyId, keys };
}

/** A new random key entry, for `npm start`'s local key file and for operators (see README, Security). */
export function newKeyEntry(keyId: string, randomBytes: (size: number) => Buffer): string {
  return `${keyId}:${randomBytes(KEY_BYTES).toString('base64')}`;
}
