/**
 * Verifies bearer tokens with `jose`: HS256 against the configured secret, and RS256/ES256 against an identity
 * provider's JWKS (fetched on first use, cached and refreshed by `jose` when a new key id appears). Every token
 * needs `exp`, at most the configured lifetime away; `iss` and `aud` are checked when configured. The keys are
 * built once, at start, not per request.
 */
import { ServiceUnavailableException, UnauthorizedException } from '@nestjs/common';
import { createSecretKey, type KeyObject } from 'node:crypto';
import {
  createRemoteJWKSet,
  errors,
  jwtVerify,
  type JWTHeaderParameters,
  type JWTPayload,
  type KeyLike,
  type FlattenedJWSInput,
} from 'jose';

export const SYMMETRIC_ALGORITHMS = ['HS256'];
export const ASYMMETRIC_ALGORITHMS = ['RS256', 'ES256'];
/** Leeway for clocks that differ a little between the identity provider and the API. */
const CLOCK_TOLERANCE_SECONDS = 30;

export interface TokenPolicy {
  secret?: string;
  jwksUrl?: string;
  issuer?: string;
  audience?: string;
  maxLifetimeSeconds: number;
}

type KeyResolver = (header: JWTHeaderParameters, token: FlattenedJWSInput) => Promise<KeyLike>;

export class TokenVerifier {
  private readonly secretKey?: KeyObject;
  private readonly jwks?: ReturnType<typeof createRemoteJWKSet>;
  private readonly algorithms: string[];

  constructor(private readonly policy: TokenPolicy) {
    if (!policy.secret && !policy.jwksUrl) throw new Error('tokens need JWT_SECRET or JWT_JWKS_URL');
    if (policy.secret) this.secretKey = createSecretKey(Buffer.from(policy.secret, 'utf8'));
    if (policy.jwksUrl) this.jwks = createRemoteJWKSet(new URL(policy.jwksUrl), { timeoutDuration: 5000 });
    this.algorithms = [...(this.secretKey ? SYMMETRIC_ALGORITHMS : []), ...(this.jwks ? ASYMMETRIC_ALGORITHMS : [])];
  }

  /** The key for a token's algorithm: the secret for HS256, the JWKS key with the token's `kid` otherwise. */
  private readonly resolveKey: KeyResolver = async (header, token) => {
    if (SYMMETRIC_ALGORITHMS.includes(header.alg) && this.secretKey) return this.secretKey;
    if (ASYMMETRIC_ALGORITHMS.includes(header.alg) && this.jwks) return this.jwks(header, token);
    throw new errors.JOSEAlgNotAllowed(`alg ${header.alg}`);
  };

  /** The verified claims; throws 401 naming what is wrong, or 503 when the identity provider is unreachable. */
  async verify(token: string, now = Date.now()): Promise<JWTPayload> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.resolveKey, {
        algorithms: this.algorithms,
        requiredClaims: ['exp'],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        currentDate: new Date(now),
        ...(this.policy.issuer ? { issuer: this.policy.issuer } : {}),
        ...(this.policy.audience ? { audience: this.policy.audience } : {}),
      }));
    } catch (err) {
      throw refusal(err);
    }
    const lifetime = lifetimeProblem(payload, now, this.policy.maxLifetimeSeconds);
    if (lifetime) throw new UnauthorizedException(`invalid token: ${lifetime}`);
    return payload;
  }
}

/** Why a token with a valid `exp` still lives too long: measured from `iat` and from now (a forged `iat` in the future cannot stretch it). */
export function lifetimeProblem(payload: JWTPayload, now: number, maxSeconds: number): string | undefined {
  const exp = payload.exp as number;
  const nowSeconds = Math.floor(now / 1000);
  const limit = maxSeconds + CLOCK_TOLERANCE_SECONDS;
  const hours = Math.round((maxSeconds / 3600) * 100) / 100;
  if (exp - nowSeconds > limit || (payload.iat !== undefined && exp - payload.iat > limit)) {
    return `token lifetime is longer than the ${hours} h allowed (JWT_MAX_LIFETIME_HOURS)`;
  }
  return undefined;
}

function refusal(err: unknown): Error {
  const invalid = (message: string) => new UnauthorizedException(`invalid token: ${message}`);
  if (err instanceof errors.JWTExpired) return invalid('token expired');
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.claim === 'exp' && err.reason === 'missing') return invalid('token has no expiry (exp)');
    return invalid(`claim "${err.claim}" ${err.reason === 'missing' ? 'is missing' : 'does not match'}`);
  }
  if (err instanceof errors.JWSSignatureVerificationFailed) return invalid('invalid signature');
  if (err instanceof errors.JOSEAlgNotAllowed) return invalid(`its algorithm (alg) is not accepted here`);
  if (err instanceof errors.JWKSNoMatchingKey) return invalid('no key of the identity provider matches the token');
  if (err instanceof errors.JWKSMultipleMatchingKeys) return invalid('the token names no single key (kid)');
  if (err instanceof errors.JWKSTimeout || err instanceof errors.JWKSInvalid || isJwksFetchFailure(err)) {
    return new ServiceUnavailableException('the identity provider (JWT_JWKS_URL) cannot be reached; retry later');
  }
  if (err instanceof errors.JOSEError) return invalid(err.message);
  return invalid('malformed token');
}

/** The JWKS request failed: a network error (ECONNREFUSED…), or an answer that is not a key set. */
function isJwksFetchFailure(err: unknown): boolean {
  if (err instanceof errors.JOSEError) return /JSON Web Key Set/.test(err.message);
  return typeof err === 'object' && err !== null && typeof (err as NodeJS.ErrnoException).syscall === 'string';
}
