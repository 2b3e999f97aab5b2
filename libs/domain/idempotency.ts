/**
 * The one idempotency policy of every mutating request, plan and congress alike:
 *
 * - the same Idempotency-Key with the same request → the first result again, marked `replayed: true`, and
 *   nothing is applied a second time;
 * - the same key with a different request (another route, other content, another caller) → refused (HTTP 409),
 *   never answered with the first request's result and never silently ignored.
 *
 * A request is identified by its fingerprint: a hash of the command's type, the caller and the content in
 * canonical form (key order does not matter). Pure and deterministic, so workflows use it as they are.
 */
import { sha256 } from '@noble/hashes/sha256';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';
import stableStringify from 'fast-json-stable-stringify';
import { DAY_MS } from './duration';
import { DomainError } from './errors';

/** How long a request is remembered: a retry within this window gets the first result. */
export const IDEMPOTENCY_WINDOW_MS = DAY_MS;

/** The header the key comes in, named in every refusal. */
export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';

export interface RememberedRequest<R = unknown> {
  key: string;
  fingerprint: string;
  /** What kind of request it was, for the refusal message. */
  type?: string;
  result: R;
  /** When it was first processed (epoch ms), for the window. */
  at?: number;
}

/** The fingerprint of a request: the same for a retry of it, different for any other request. */
export function requestFingerprint(type: string, actorId: string | undefined, content: unknown): string {
  return bytesToHex(sha256(utf8ToBytes(stableStringify([type, actorId ?? null, content ?? null]))));
}

/** The refusal of a key reused for a different request. */
export function idempotencyConflict(key: string, firstType?: string): DomainError {
  const first = firstType ? ` (${firstType})` : '';
  return new DomainError(
    'INVALID_TRANSITION',
    `${IDEMPOTENCY_KEY_HEADER} ${key} was already used for a different request${first}: use a new key for a new request`,
    [{ path: IDEMPOTENCY_KEY_HEADER, message: `already used for a different request${first}` }],
  );
}

/**
 * Applies the policy to a request under `key` with `fingerprint`, given what was remembered under that key:
 * undefined when the request is new (process it), the first result marked `replayed: true` when it is a retry;
 * throws the 409 refusal when the key was used for a different request. A remembered entry without a
 * fingerprint (recorded before fingerprints existed) is taken as a retry.
 */
export function replayOf<R extends object>(
  remembered: Pick<RememberedRequest<R>, 'fingerprint' | 'type' | 'result'> | undefined,
  key: string,
  fingerprint: string,
): (R & { replayed: true }) | undefined {
  if (!remembered) return undefined;
  if (remembered.fingerprint && remembered.fingerprint !== fingerprint) throw idempotencyConflict(key, remembered.type);
  return { ...remembered.result, replayed: true };
}

/** Looks a key up in a list of remembered requests and applies the policy (see `replayOf`). */
export function replayFrom<R extends object>(
  remembered: ReadonlyArray<RememberedRequest<R>>,
  key: string | undefined,
  fingerprint: string,
): (R & { replayed: true }) | undefined {
  if (!key) return undefined;
  return replayOf(
    remembered.find((r) => r.key === key),
    key,
    fingerprint,
  );
}

/** Remembers a processed request, forgetting those older than the window (in place). */
export function rememberRequest<R>(
  remembered: Array<RememberedRequest<R>>,
  entry: RememberedRequest<R> & { at: number },
  windowMs = IDEMPOTENCY_WINDOW_MS,
): void {
  const kept = remembered.filter((r) => r.key !== entry.key && (r.at === undefined || entry.at - r.at < windowMs));
  remembered.splice(0, remembered.length, ...kept, entry);
}
