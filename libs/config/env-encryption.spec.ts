import { randomBytes } from 'node:crypto';
import { ApiEnv, validateEnv, WorkerEnv } from './env';

const key = () => randomBytes(32).toString('base64');
const api = { JWT_SECRET: 'x'.repeat(16) };

describe('payload encryption settings, validated at boot', () => {
  it('accepts keys with an active key id, for the API and the worker', () => {
    const keys = `k1:${key()},k2:${key()}`;
    expect(
      validateEnv(WorkerEnv, { PAYLOAD_ENCRYPTION_KEYS: keys, PAYLOAD_ENCRYPTION_ACTIVE_KEY: 'k2' }),
    ).toMatchObject({
      PAYLOAD_ENCRYPTION_ACTIVE_KEY: 'k2',
    });
    expect(
      validateEnv(ApiEnv, { ...api, PAYLOAD_ENCRYPTION_KEYS: keys, PAYLOAD_ENCRYPTION_ACTIVE_KEY: 'k1' }),
    ).toBeTruthy();
  });

  it('runs without keys outside production (payloads then stay plain)', () => {
    expect(validateEnv(WorkerEnv, {}).PAYLOAD_ENCRYPTION_KEYS).toBeUndefined();
  });

  it.each([
    [
      { PAYLOAD_ENCRYPTION_KEYS: 'k1:short', PAYLOAD_ENCRYPTION_ACTIVE_KEY: 'k1' },
      /PAYLOAD_ENCRYPTION_KEYS: key "k1" must be 32 bytes/,
    ],
    [{ PAYLOAD_ENCRYPTION_KEYS: `k1:${key()}` }, /PAYLOAD_ENCRYPTION_ACTIVE_KEY is required/],
    [
      { PAYLOAD_ENCRYPTION_KEYS: `k1:${key()}`, PAYLOAD_ENCRYPTION_ACTIVE_KEY: 'k9' },
      /PAYLOAD_ENCRYPTION_ACTIVE_KEY "k9"/,
    ],
    [
      { PAYLOAD_ENCRYPTION_ACTIVE_KEY: 'k1' },
      /PAYLOAD_ENCRYPTION_ACTIVE_KEY is set but PAYLOAD_ENCRYPTION_KEYS is empty/,
    ],
    [{ NODE_ENV: 'production' }, /PAYLOAD_ENCRYPTION_KEYS is required when NODE_ENV=production/],
  ])('refuses %j, naming the variable', (raw, message) => {
    expect(() => validateEnv(WorkerEnv, raw)).toThrow(message);
    expect(() => validateEnv(ApiEnv, { ...api, ...raw })).toThrow(message);
  });

  it('accepts only token or loopback for the codec endpoint', () => {
    expect(validateEnv(ApiEnv, api).PAYLOAD_CODEC_AUTH).toBe('token');
    expect(validateEnv(ApiEnv, { ...api, PAYLOAD_CODEC_AUTH: 'loopback' }).PAYLOAD_CODEC_AUTH).toBe('loopback');
    expect(() => validateEnv(ApiEnv, { ...api, PAYLOAD_CODEC_AUTH: 'none' })).toThrow(
      /PAYLOAD_CODEC_AUTH must be token or loopback/,
    );
  });
});
