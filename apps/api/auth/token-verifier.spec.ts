/**
 * The token policy, against a JWKS served on loopback inside the test (as a Keycloak would serve its realm's
 * keys): what is accepted, and every attack refused with 401 and a reason (503 when the provider is down).
 */
import { HttpException } from '@nestjs/common';
import crypto from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload, type KeyLike } from 'jose';
import { TokenVerifier } from './token-verifier';

const SECRET = 'unit-test-secret-0123456789abcdef';
const ISSUER = 'https://sso.tinhuy.example/realms/vptu';
const AUDIENCE = 'tminus-api';
const HOUR = 3600;
const now = () => Math.floor(Date.now() / 1000);
const claims = { sub: 'vptu-tt1', name: 'Văn phòng', roles: ['coordinator'] };

let server: Server;
let jwksUrl = '';
let rsa: { privateKey: KeyLike; publicKey: KeyLike };
let ec: { privateKey: KeyLike; publicKey: KeyLike };
let stranger: { privateKey: KeyLike; publicKey: KeyLike };
let jwksRequests = 0;

beforeAll(async () => {
  rsa = await generateKeyPair('RS256');
  ec = await generateKeyPair('ES256');
  stranger = await generateKeyPair('RS256');
  const keys = [
    { ...(await exportJWK(rsa.publicKey)), kid: 'rsa-1', alg: 'RS256', use: 'sig' },
    { ...(await exportJWK(ec.publicKey)), kid: 'ec-1', alg: 'ES256', use: 'sig' },
  ];
  server = createServer((req, res) => {
    jwksRequests++;
    if (req.url !== '/realms/vptu/protocol/openid-connect/certs') return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  jwksUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}/realms/vptu/protocol/openid-connect/certs`;
});

afterAll(() => new Promise((resolve) => server.close(resolve)));

async function sign(
  key: KeyLike | Uint8Array,
  alg: string,
  options: { kid?: string; payload?: JWTPayload; exp?: number | null; iat?: number; iss?: string; aud?: string } = {},
) {
  const jwt = new SignJWT({ ...claims, ...options.payload }).setProtectedHeader({
    alg,
    ...(options.kid ? { kid: options.kid } : {}),
  });
  if (options.exp !== null) jwt.setExpirationTime(options.exp ?? now() + HOUR);
  if (options.iat !== undefined) jwt.setIssuedAt(options.iat);
  if (options.iss) jwt.setIssuer(options.iss);
  if (options.aud) jwt.setAudience(options.aud);
  return jwt.sign(key);
}

const secretBytes = new TextEncoder().encode(SECRET);
const hs = (options?: Parameters<typeof sign>[2]) => sign(secretBytes, 'HS256', options);
const rs = (options?: Parameters<typeof sign>[2]) => sign(rsa.privateKey, 'RS256', { kid: 'rsa-1', ...options });

/** The status and message a refused token gets. */
async function refusal(verifier: TokenVerifier, token: string): Promise<{ status: number; message: string }> {
  try {
    await verifier.verify(token);
  } catch (err) {
    if (err instanceof HttpException) return { status: err.getStatus(), message: err.message };
    throw err;
  }
  throw new Error('the token was accepted');
}

describe('TokenVerifier with a secret (npm start, small installations)', () => {
  const verifier = new TokenVerifier({ secret: SECRET, maxLifetimeSeconds: 24 * HOUR });

  it('accepts a well-formed HS256 token and returns its claims', async () => {
    await expect(verifier.verify(await hs({ iat: now() }))).resolves.toMatchObject(claims);
  });

  it('builds the key once: no key is created while verifying', async () => {
    const token = await hs();
    const secretKeys = jest.spyOn(crypto, 'createSecretKey');
    const publicKeys = jest.spyOn(crypto, 'createPublicKey');
    try {
      for (let i = 0; i < 20; i++) await verifier.verify(token);
      expect(secretKeys).not.toHaveBeenCalled();
      expect(publicKeys).not.toHaveBeenCalled();
    } finally {
      secretKeys.mockRestore();
      publicKeys.mockRestore();
    }
  });

  const header = (alg: string) => Buffer.from(JSON.stringify({ alg, typ: 'JWT' })).toString('base64url');
  const body = (payload: object) => Buffer.from(JSON.stringify(payload)).toString('base64url');

  it.each<[string, () => Promise<string>, RegExp]>([
    ['no exp', () => hs({ exp: null }), /no expiry \(exp\)/],
    ['expired', () => hs({ exp: now() - HOUR }), /expired/],
    ['a 10-year exp', () => hs({ exp: now() + 10 * 365 * 24 * HOUR }), /lifetime is longer than the 24 h/],
    ['issued long ago, valid for 48 h', () => hs({ iat: now() - 47 * HOUR, exp: now() + HOUR }), /lifetime/],
    ['a forged future iat to stretch exp', () => hs({ iat: now() + 99 * HOUR, exp: now() + 100 * HOUR }), /lifetime/],
    ['signed with another secret', () => sign(new TextEncoder().encode('x'.repeat(32)), 'HS256'), /invalid signature/],
    [
      'tampered claims (admin added)',
      async () => {
        const [h, , s] = (await hs()).split('.');
        return `${h}.${body({ ...claims, roles: ['admin'], exp: now() + HOUR })}.${s}`;
      },
      /invalid signature/,
    ],
    ['alg none', async () => `${header('none')}.${body({ ...claims, exp: now() + HOUR })}.`, /invalid token/],
    ['an RS256 token when no JWKS is configured', () => rs(), /algorithm \(alg\) is not accepted/],
    ['not a JWT', async () => 'not.a-jwt', /invalid token/],
  ])('refuses %s (401)', async (_name, token, reason) => {
    const refused = await refusal(verifier, await token());
    expect(refused).toEqual({ status: 401, message: expect.stringMatching(reason) });
  });
});

describe('TokenVerifier with an identity provider (JWKS) and iss/aud', () => {
  let verifier: TokenVerifier;
  beforeAll(() => {
    verifier = new TokenVerifier({
      jwksUrl,
      issuer: ISSUER,
      audience: AUDIENCE,
      maxLifetimeSeconds: 12 * HOUR,
    });
  });
  const good = { iss: ISSUER, aud: AUDIENCE };

  it('accepts RS256 and ES256 tokens signed by the provider, fetching its keys once', async () => {
    const before = jwksRequests;
    await expect(verifier.verify(await rs(good))).resolves.toMatchObject({ sub: 'vptu-tt1', iss: ISSUER });
    await expect(verifier.verify(await sign(ec.privateKey, 'ES256', { kid: 'ec-1', ...good }))).resolves.toMatchObject({
      aud: AUDIENCE,
    });
    for (let i = 0; i < 5; i++) await verifier.verify(await rs(good));
    expect(jwksRequests - before).toBe(1);
  });

  it.each<[string, () => Promise<string>, RegExp]>([
    ['a foreign issuer', () => rs({ ...good, iss: 'https://evil.example/realms/vptu' }), /claim "iss"/],
    ['no issuer', () => rs({ aud: AUDIENCE }), /claim "iss"/],
    ['another audience', () => rs({ ...good, aud: 'account' }), /claim "aud"/],
    ['no exp', () => rs({ ...good, exp: null }), /no expiry/],
    ['a lifetime over 12 h', () => rs({ ...good, exp: now() + 13 * HOUR }), /lifetime/],
    [
      'a key the provider does not publish (kid of its own)',
      () => sign(stranger.privateKey, 'RS256', { kid: 'rsa-2', ...good }),
      /no key of the identity provider/,
    ],
    [
      'a key the provider does not publish (kid of the provider)',
      () => sign(stranger.privateKey, 'RS256', { kid: 'rsa-1', ...good }),
      /invalid signature/,
    ],
    ['an HS256 token (no secret configured)', () => hs(good), /algorithm \(alg\) is not accepted/],
    [
      'HS256 signed with the provider public key as secret (algorithm confusion)',
      async () => sign(new TextEncoder().encode(JSON.stringify(await exportJWK(rsa.publicKey))), 'HS256', good),
      /algorithm \(alg\) is not accepted/,
    ],
  ])('refuses %s (401)', async (_name, token, reason) => {
    const refused = await refusal(verifier, await token());
    expect(refused).toEqual({ status: 401, message: expect.stringMatching(reason) });
  });

  it('answers 503 when the provider cannot be reached, so a client retries instead of dropping its token', async () => {
    const down = new TokenVerifier({ jwksUrl: 'http://127.0.0.1:9/certs', maxLifetimeSeconds: HOUR });
    expect(await refusal(down, await rs())).toEqual({
      status: 503,
      message: expect.stringMatching(/cannot be reached/),
    });
  });

  it('with both a secret and a JWKS, takes each algorithm from its own key', async () => {
    const both = new TokenVerifier({ secret: SECRET, jwksUrl, maxLifetimeSeconds: 24 * HOUR });
    await expect(both.verify(await hs())).resolves.toMatchObject(claims);
    await expect(both.verify(await rs())).resolves.toMatchObject(claims);
    const confused = await sign(new TextEncoder().encode(JSON.stringify(await exportJWK(rsa.publicKey))), 'HS256');
    expect(await refusal(both, confused)).toEqual({ status: 401, message: expect.stringMatching(/invalid signature/) });
  });
});
