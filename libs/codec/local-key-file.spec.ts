import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureLocalKeyFile, LOCAL_KEY_FILE } from './local-key-file';
import { parseEncryptionKeys } from './encryption-keys';

describe('the local key file of npm start', () => {
  it('is created once with a random 32-byte key, readable by its owner only, and reused afterwards', () => {
    const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'tminus-keys-')), 'data');
    const first = ensureLocalKeyFile(dir, new Date('2026-11-23T10:00:00Z'));
    expect(first.created).toBe(true);
    expect(statSync(first.file).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(first.env.PAYLOAD_ENCRYPTION_ACTIVE_KEY).toBe('local-20261123');
    const ring = parseEncryptionKeys(first.env.PAYLOAD_ENCRYPTION_KEYS, first.env.PAYLOAD_ENCRYPTION_ACTIVE_KEY);
    expect(ring.keys.get('local-20261123')!.length).toBe(32);

    const second = ensureLocalKeyFile(dir);
    expect(second).toEqual({ ...first, created: false });
    expect(ensureLocalKeyFile(path.join(path.dirname(dir), 'other')).env).not.toEqual(first.env);
  });

  it('tightens a key file that others can read, and names the file when it is malformed', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tminus-keys-'));
    const file = path.join(dir, LOCAL_KEY_FILE);
    const { env } = ensureLocalKeyFile(dir);
    chmodSync(file, 0o644);
    ensureLocalKeyFile(dir);
    expect(statSync(file).mode & 0o777).toBe(0o600);

    writeFileSync(file, `${readFileSync(file, 'utf8')}PAYLOAD_ENCRYPTION_ACTIVE_KEY=gone\n`);
    expect(() => ensureLocalKeyFile(dir)).toThrow(
      `${file}: PAYLOAD_ENCRYPTION_ACTIVE_KEY "gone" is not one of the key ids`,
    );
    expect(env.PAYLOAD_ENCRYPTION_KEYS).toMatch(/^local-\d{8}:/);
  });
});
