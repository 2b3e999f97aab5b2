import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import {
  AesGcmPayloadCodec,
  ENCRYPTED_ENCODING,
  KEY_ID_METADATA,
  PayloadDecryptionError,
  PlaintextPayloadCodec,
} from './aes-gcm.codec';
import { newKeyEntry, parseEncryptionKeys } from './encryption-keys';
import { payloadsFromJson, payloadsToJson, runRemoteCodec, RemoteCodecInputError } from './remote-codec';

const KEY_2025 = newKeyEntry('k2025', randomBytes);
const KEY_2026 = newKeyEntry('k2026', randomBytes);
const codecWith = (keys: string, active: string) => new AesGcmPayloadCodec(parseEncryptionKeys(keys, active));

const secret = {
  title: 'Bố trí xe đưa đón đại biểu',
  person: { name: 'Nguyễn Văn Thắng', email: 'thang@tinhuy.example.vn' },
};
const plain = (): Payload => defaultPayloadConverter.toPayload(secret);
const text = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? []).toString('utf8');
const asLatin1 = (payload: Payload) =>
  Buffer.concat([Buffer.from(payload.data ?? []), ...Object.values(payload.metadata ?? {}).map((v) => Buffer.from(v))]);

describe('AesGcmPayloadCodec', () => {
  it('round-trips a payload and leaves no plaintext in the encoded one', async () => {
    const codec = codecWith(KEY_2026, 'k2026');
    const [encoded] = await codec.encode([plain()]);
    expect(text(encoded.metadata!.encoding)).toBe(ENCRYPTED_ENCODING);
    expect(text(encoded.metadata![KEY_ID_METADATA])).toBe('k2026');
    const stored = asLatin1(encoded);
    for (const needle of ['Nguyễn Văn Thắng', 'thang@tinhuy.example.vn', 'Bố trí xe', 'json/plain']) {
      expect(stored.includes(Buffer.from(needle, 'utf8'))).toBe(false);
    }
    const [decoded] = await codec.decode([encoded]);
    expect(defaultPayloadConverter.fromPayload(decoded)).toEqual(secret);
    expect(text(decoded.metadata!.encoding)).toBe('json/plain');
  });

  it('uses a fresh nonce for every payload', async () => {
    const codec = codecWith(KEY_2026, 'k2026');
    const [a, b] = await codec.encode([plain(), plain()]);
    expect(Buffer.from(a.data!).equals(Buffer.from(b.data!))).toBe(false);
  });

  it('after a rotation, encrypts with the new active key and still decrypts payloads of the old one', async () => {
    const before = codecWith(KEY_2025, 'k2025');
    const [old] = await before.encode([plain()]);
    const after = codecWith(`${KEY_2025},${KEY_2026}`, 'k2026');
    const [fresh] = await after.encode([plain()]);
    expect(text(fresh.metadata![KEY_ID_METADATA])).toBe('k2026');
    const decoded = await after.decode([old, fresh]);
    expect(decoded.map((p) => defaultPayloadConverter.fromPayload(p))).toEqual([secret, secret]);
  });

  it('passes payloads written before encryption was turned on through unchanged', async () => {
    const codec = codecWith(KEY_2026, 'k2026');
    const [decoded] = await codec.decode([plain()]);
    expect(defaultPayloadConverter.fromPayload(decoded)).toEqual(secret);
  });

  it('refuses a tampered ciphertext', async () => {
    const codec = codecWith(KEY_2026, 'k2026');
    const [encoded] = await codec.encode([plain()]);
    const data = Buffer.from(encoded.data!);
    data[20] ^= 0x01;
    await expect(codec.decode([{ ...encoded, data }])).rejects.toThrow(
      /payload encrypted with key "k2026" failed authentication: it was altered/,
    );
  });

  it('refuses a payload relabelled with another known key id', async () => {
    const codec = codecWith(`${KEY_2025},${KEY_2026}`, 'k2026');
    const [encoded] = await codec.encode([plain()]);
    const relabelled = { ...encoded, metadata: { ...encoded.metadata, [KEY_ID_METADATA]: Buffer.from('k2025') } };
    await expect(codec.decode([relabelled])).rejects.toThrow(PayloadDecryptionError);
  });

  it('refuses a payload whose key id is not configured, naming the key and the variable', async () => {
    const [encoded] = await codecWith(KEY_2025, 'k2025').encode([plain()]);
    await expect(codecWith(KEY_2026, 'k2026').decode([encoded])).rejects.toThrow(
      'payload encrypted with key "k2025", which is not in PAYLOAD_ENCRYPTION_KEYS (known: k2026)',
    );
  });

  it('refuses a truncated payload', async () => {
    const codec = codecWith(KEY_2026, 'k2026');
    const [encoded] = await codec.encode([plain()]);
    await expect(codec.decode([{ ...encoded, data: Buffer.from(encoded.data!).subarray(0, 10) }])).rejects.toThrow(
      /truncated/,
    );
  });
});

describe('parseEncryptionKeys', () => {
  const key = randomBytes(32).toString('base64');

  it('reads several keys and the active one', () => {
    const ring = parseEncryptionKeys(` a:${key} , b.2:${key}`, 'b.2');
    expect([...ring.keys.keys()]).toEqual(['a', 'b.2']);
    expect(ring.activeKeyId).toBe('b.2');
    expect(ring.keys.get('a')!.length).toBe(32);
  });

  it.each([
    ['', 'a', 'PAYLOAD_ENCRYPTION_KEYS lists no key'],
    [key, 'a', 'PAYLOAD_ENCRYPTION_KEYS: entry 1 must be keyId:base64'],
    [`a:${randomBytes(16).toString('base64')}`, 'a', 'PAYLOAD_ENCRYPTION_KEYS: key "a" must be 32 bytes in base64'],
    ['a:not*base64', 'a', 'PAYLOAD_ENCRYPTION_KEYS: key "a" must be 32 bytes'],
    [`a:${key},a:${key}`, 'a', 'PAYLOAD_ENCRYPTION_KEYS: key id "a" appears twice'],
    [`a b:${key}`, 'a b', 'PAYLOAD_ENCRYPTION_KEYS: entry 1 must be keyId:base64'],
    [`a:${key}`, undefined, 'PAYLOAD_ENCRYPTION_ACTIVE_KEY is required'],
    [`a:${key}`, 'b', 'PAYLOAD_ENCRYPTION_ACTIVE_KEY "b" is not one of the key ids'],
  ])('refuses keys %j with active %j, naming the variable', (keys, active, message) => {
    expect(() => parseEncryptionKeys(keys, active)).toThrow(message);
  });

  it('never echoes key material in its messages', () => {
    const short = randomBytes(16).toString('base64');
    expect(() => parseEncryptionKeys(`a:${short}`, 'a')).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining(short) }),
    );
  });
});

describe('remote codec protocol (Temporal UI)', () => {
  it('encodes and decodes payloads in protobuf JSON', async () => {
    const codec = codecWith(KEY_2026, 'k2026');
    const request = payloadsToJson([plain()]);
    expect(request.payloads[0].metadata!.encoding).toBe(Buffer.from('json/plain').toString('base64'));
    const encoded = await runRemoteCodec(codec, 'encode', request);
    expect(encoded.payloads[0].metadata![KEY_ID_METADATA]).toBe(Buffer.from('k2026').toString('base64'));
    const decoded = await runRemoteCodec(codec, 'decode', encoded);
    expect(defaultPayloadConverter.fromPayload(payloadsFromJson(decoded)[0])).toEqual(secret);
  });

  it.each([
    [null, 'payloads: must be a list of payloads'],
    [{ payloads: 'x' }, 'payloads: must be a list of payloads'],
    [{ payloads: [7] }, 'payloads[0]: must be an object'],
    [{ payloads: [{ metadata: { encoding: 'not base64!' } }] }, 'payloads[0].metadata.encoding: must be base64'],
    [{ payloads: [{ data: 5 }] }, 'payloads[0].data: must be base64'],
  ])('refuses the body %j naming the path', (body, message) => {
    expect(() => payloadsFromJson(body)).toThrow(RemoteCodecInputError);
    expect(() => payloadsFromJson(body)).toThrow(message);
  });
});

describe('PlaintextPayloadCodec (a process without keys)', () => {
  it('writes plain payloads and refuses encrypted ones with a clear message', async () => {
    const codec = new PlaintextPayloadCodec();
    const [same] = await codec.encode([plain()]);
    expect(defaultPayloadConverter.fromPayload(same)).toEqual(secret);
    const [encrypted] = await codecWith(KEY_2026, 'k2026').encode([plain()]);
    await expect(codec.decode([encrypted])).rejects.toThrow(
      'payload encrypted with key "k2026", but PAYLOAD_ENCRYPTION_KEYS is not set in this process',
    );
  });
});
