/**
 * Signed feed tokens: calendar apps cannot send a bearer token, so a feed's URL carries its own credential.
 * A token is `base64url(claims).base64url(HMAC-SHA256(secret, claims))`; the claims name the feed's scope and
 * an id, by which a single feed is revoked (the API keeps the list of revoked ids).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FeedScope } from './calendar-feed';

export interface FeedTokenClaims {
  v: 1;
  /** The feed's id: what a revocation names. */
  id: string;
  scope: FeedScope;
  /** Who minted it (the `sub` of their bearer token) and when (epoch seconds). */
  by: string;
  iat: number;
}

const sign = (payload: string, secret: string) => createHmac('sha256', secret).update(payload).digest('base64url');

export function newFeedId(): string {
  return randomBytes(12).toString('base64url');
}

export function signFeedToken(claims: FeedTokenClaims, secret: string): string {
  const payload = Buffer.from(JSON.stringify(claims), 'utf8').toString('base64url');
  return `${payload}.${sign(payload, secret)}`;
}

/** The claims of a token signed with `secret`, or undefined when it is malformed or its signature is wrong. */
export function verifyFeedToken(token: string, secret: string): FeedTokenClaims | undefined {
  const match = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return undefined;
  const expected = Buffer.from(sign(match[1], secret));
  const given = Buffer.from(match[2]);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(match[1], 'base64url').toString('utf8')) as FeedTokenClaims;
    return claims.v === 1 && typeof claims.id === 'string' && typeof claims.scope?.kind === 'string'
      ? claims
      : undefined;
  } catch {
    return undefined;
  }
}
