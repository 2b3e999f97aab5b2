/**
 * `npm start` encrypts by default: without PAYLOAD_ENCRYPTION_KEYS in the environment, it keeps a key file in
 * its data folder (mode 0600, created on first start), so that the dev server's SQLite file holds no plaintext
 * and the next start still reads it. The file uses the environment variables' own syntax.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { PayloadEncryptionEnv } from './data-converter';
import { ACTIVE_KEY_VARIABLE, KEYS_VARIABLE, newKeyEntry, parseEncryptionKeys } from './encryption-keys';

export const LOCAL_KEY_FILE = 'payload-encryption.env';

export interface LocalKeys {
  env: Required<PayloadEncryptionEnv>;
  file: string;
  created: boolean;
}

function readKeyFile(file: string): Required<PayloadEncryptionEnv> {
  const values = Object.fromEntries(
    readFileSync(file, 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#'))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  const env = {
    PAYLOAD_ENCRYPTION_KEYS: values[KEYS_VARIABLE] ?? '',
    PAYLOAD_ENCRYPTION_ACTIVE_KEY: values[ACTIVE_KEY_VARIABLE] ?? '',
  };
  try {
    parseEncryptionKeys(env.PAYLOAD_ENCRYPTION_KEYS, env.PAYLOAD_ENCRYPTION_ACTIVE_KEY);
  } catch (err) {
    throw new Error(`${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  return env;
}

/** Reads the data folder's key file, creating it (0600, folder 0700) with one random key when there is none. */
export function ensureLocalKeyFile(dataDir: string, now: Date = new Date()): LocalKeys {
  const file = path.join(dataDir, LOCAL_KEY_FILE);
  if (existsSync(file)) {
    // Keys readable by other users of the machine protect nothing: tighten a loosened file.
    if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
    return { env: readKeyFile(file), file, created: false };
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const keyId = `local-${now.toISOString().slice(0, 10).replaceAll('-', '')}`;
  const content = [
    '# Payload encryption keys of this data folder (npm start). Losing this file makes the plans in',
    '# temporal.sqlite unreadable. Rotation: README, Security.',
    `${KEYS_VARIABLE}=${newKeyEntry(keyId, randomBytes)}`,
    `${ACTIVE_KEY_VARIABLE}=${keyId}`,
    '',
  ].join('\n');
  writeFileSync(file, content, { mode: 0o600, flag: 'wx' });
  return { env: readKeyFile(file), file, created: true };
}
