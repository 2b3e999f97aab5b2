/**
 * Tokens and limits on API processes of this file's own, on the stack's Temporal and worker:
 * - an API that trusts both its secret and an identity provider (a JWKS served here on loopback), with an issuer,
 *   an audience and a 12-hour lifetime limit: a table of token attacks, each refused with the right status and
 *   nothing recorded as an action in the plan they aimed at;
 * - an API with default settings and a small rate limit: X-Forwarded-For does not make a new client, and over
 *   plain http no HSTS or upgrade-insecure-requests (so /docs works on a LAN address);
 * - an API behind a (loopback) proxy it is told to trust: the proxy's https makes HSTS appear.
 */
import type { ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload, type KeyLike } from 'jose';
import { stopProcess } from '../../scripts/dev-server';
import { addCalendarDays, localDateOf, logisticsPlan, propagandaPlan, provincialCongress } from '../../libs/domain';
import { api, bearer, eventually } from './client';
import { E2E_JWT_SECRET, freePort, startNodeProcess, waitForHttp } from './stack';

const CONGRESS = 'dh-tokens';
const PLAN = `/plans/${CONGRESS}/BPTT`;
const ISSUER = 'https://sso.tinhuy.example/realms/vptu';
const AUDIENCE = 'tminus-api';
const HOUR = 3600;
const coordinator = bearer('vptu-tt1', ['coordinator']);
const now = () => Math.floor(Date.now() / 1000);

async function startApi(name: string, env: Record<string, string>): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = startNodeProcess(
    'apps/api/main.js',
    {
      TEMPORAL_ADDRESS: process.env.TMINUS_E2E_TEMPORAL_ADDRESS!,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      ...env,
    },
    path.join(process.env.TMINUS_E2E_DIR!, `api-${name}.log`),
  );
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/health`, 30_000);
  return { url, child };
}

interface AuditEntry {
  action: string;
  actor: string;
}

async function audit(): Promise<AuditEntry[]> {
  const r = await api().get(`${PLAN}/audit?limit=500`).set('Authorization', coordinator).expect(200);
  return r.body.entries;
}

describe('token attacks, against an API with a secret, an identity provider, iss, aud and a 12 h limit', () => {
  let jwks: Server;
  let hardened: { url: string; child: ChildProcess };
  let provider: { privateKey: KeyLike };
  let stranger: { privateKey: KeyLike };
  let planApproval = '';
  const secret = new TextEncoder().encode(E2E_JWT_SECRET);

  const claims = (roles: string[], extra: JWTPayload = {}) => ({
    sub: 'tan-cong',
    name: 'Kẻ tấn công',
    roles,
    ...extra,
  });
  async function sign(
    key: KeyLike | Uint8Array,
    alg: string,
    payload: JWTPayload,
    options: { kid?: string; exp?: number | null; iss?: string | null; aud?: string } = {},
  ): Promise<string> {
    const jwt = new SignJWT(payload).setProtectedHeader({ alg, ...(options.kid ? { kid: options.kid } : {}) });
    jwt.setIssuedAt();
    if (options.exp !== null) jwt.setExpirationTime(options.exp ?? now() + HOUR);
    if (options.iss !== null) jwt.setIssuer(options.iss ?? ISSUER);
    jwt.setAudience(options.aud ?? AUDIENCE);
    return jwt.sign(key);
  }
  const hs = (payload: JWTPayload, options?: Parameters<typeof sign>[3]) => sign(secret, 'HS256', payload, options);
  const rs = (payload: JWTPayload, options?: Parameters<typeof sign>[3]) =>
    sign(provider.privateKey, 'RS256', payload, { kid: 'realm-key-1', ...options });

  const comment = (token: string) =>
    fetch(`${hardened.url}${PLAN}/comments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'Góp ý trái phép' }),
    });

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    provider = pair;
    stranger = await generateKeyPair('RS256');
    const keys = [{ ...(await exportJWK(pair.publicKey)), kid: 'realm-key-1', alg: 'RS256', use: 'sig' }];
    jwks = createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys })),
    );
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    const jwksUrl = `http://127.0.0.1:${(jwks.address() as { port: number }).port}/realms/vptu/protocol/openid-connect/certs`;
    hardened = await startApi('hardened', {
      JWT_SECRET: E2E_JWT_SECRET,
      JWT_JWKS_URL: jwksUrl,
      JWT_ISSUER: ISSUER,
      JWT_AUDIENCE: AUDIENCE,
      JWT_MAX_LIFETIME_HOURS: '12',
      THROTTLE_LIMIT: '100000',
    });

    const startDate = addCalendarDays(localDateOf(Date.now(), 'Asia/Ho_Chi_Minh'), 60);
    await api()
      .post('/congresses')
      .set('Authorization', coordinator)
      .send({ congress: provincialCongress(CONGRESS, startDate), plans: [propagandaPlan(), logisticsPlan()] })
      .expect(201);
    await eventually(async () => ((await api().get(PLAN).set('Authorization', coordinator)).ok ? true : undefined));
    planApproval = (await api().post(`${PLAN}/submit`).set('Authorization', coordinator).expect(200)).body.approvalId;
  });

  afterAll(async () => {
    await stopProcess(hardened.child);
    await new Promise((resolve) => jwks.close(resolve));
  });

  it('accepts the two kinds of good token (HS256 with iss and aud; RS256 from the identity provider)', async () => {
    for (const token of [await hs(claims(['coordinator'])), await rs(claims(['coordinator']))]) {
      const r = await fetch(`${hardened.url}${PLAN}`, { headers: { authorization: `Bearer ${token}` } });
      expect(r.status).toBe(200);
    }
  });

  it('refuses every attack with the right status, and nothing is recorded as an action', async () => {
    const header = (alg: string) => Buffer.from(JSON.stringify({ alg, typ: 'JWT' })).toString('base64url');
    const body = (payload: object) => Buffer.from(JSON.stringify(payload)).toString('base64url');
    const good = await hs(claims(['viewer']));
    const [goodHeader, , goodSignature] = good.split('.');
    const attacks: Array<{ name: string; token: () => Promise<string>; status: number; because: RegExp }> = [
      {
        name: 'tampered (viewer made coordinator)',
        token: async () =>
          `${goodHeader}.${body({ ...claims(['coordinator']), iss: ISSUER, aud: AUDIENCE, exp: now() + HOUR })}.${goodSignature}`,
        status: 401,
        because: /invalid signature/,
      },
      {
        name: 'expired',
        token: () => hs(claims(['coordinator']), { exp: now() - HOUR }),
        status: 401,
        because: /expired/,
      },
      {
        name: 'alg none',
        token: async () =>
          `${header('none')}.${body({ ...claims(['admin']), iss: ISSUER, aud: AUDIENCE, exp: now() + HOUR })}.`,
        status: 401,
        because: /invalid token/,
      },
      { name: 'no exp', token: () => hs(claims(['coordinator']), { exp: null }), status: 401, because: /no expiry/ },
      {
        name: 'a 10-year lifetime',
        token: () => hs(claims(['coordinator']), { exp: now() + 10 * 365 * 24 * HOUR }),
        status: 401,
        because: /lifetime is longer than the 12 h/,
      },
      {
        name: 'a foreign issuer',
        token: () => hs(claims(['coordinator']), { iss: 'https://sso.other.example/realms/x' }),
        status: 401,
        because: /claim "iss"/,
      },
      {
        name: 'no issuer',
        token: () => hs(claims(['coordinator']), { iss: null }),
        status: 401,
        because: /claim "iss"/,
      },
      {
        name: 'another audience',
        token: () => hs(claims(['coordinator']), { aud: 'account' }),
        status: 401,
        because: /claim "aud"/,
      },
      {
        name: 'JWKS key mismatch (signed by a key the provider does not publish, under its kid)',
        token: () => sign(stranger.privateKey, 'RS256', claims(['admin']), { kid: 'realm-key-1' }),
        status: 401,
        because: /invalid signature/,
      },
      {
        name: 'JWKS unknown key id',
        token: () => sign(stranger.privateKey, 'RS256', claims(['admin']), { kid: 'attacker-key' }),
        status: 401,
        because: /no key of the identity provider/,
      },
      {
        name: 'wrong role (viewer)',
        token: () => rs(claims(['viewer'])),
        status: 403,
        because: /requires one of the roles/,
      },
      {
        name: 'wrong unit (limited to BPHC)',
        token: () => rs(claims(['coordinator'], { units: ['BPHC'] })),
        status: 403,
        because: /limited to units BPHC/,
      },
      {
        name: 'outsider (no role at all)',
        token: () => hs(claims([])),
        status: 403,
        because: /requires one of the roles/,
      },
    ];
    const before = await audit();
    const outcome: Record<string, string> = {};
    const expected: Record<string, string> = {};
    for (const attack of attacks) {
      const response = await comment(await attack.token());
      const answer = (await response.json()) as { statusCode: number; message: string };
      outcome[attack.name] = `${response.status} ${attack.because.test(answer.message) ? 'ok' : answer.message}`;
      expected[attack.name] = `${attack.status} ok`;
    }
    // An approver outside the approver group: refused, and recorded as a refused attempt, not as a decision.
    const outsider = await fetch(`${hardened.url}/approvals/${CONGRESS}/BPTT/${planApproval}/decision`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await rs(claims(['approver']))}`, 'content-type': 'application/json' },
      body: JSON.stringify({ decision: 'approve' }),
    });
    outcome['outsider approver deciding'] = String(outsider.status);
    expected['outsider approver deciding'] = '403';
    expect(outcome).toEqual(expected);
    console.log(`token attacks: ${Object.keys(outcome).length} tried, ${Object.keys(outcome).length} refused`);

    const after = await audit();
    const actions = (entries: AuditEntry[]) => entries.filter((e) => !e.action.endsWith('-refused'));
    expect(actions(after)).toEqual(actions(before));
    expect(after.filter((e) => e.actor === 'tan-cong').map((e) => e.action)).toEqual(['approval.decision-refused']);
    const approvals = await api().get(`${PLAN}/approvals`).set('Authorization', coordinator).expect(200);
    expect(approvals.body.find((a: { id: string }) => a.id === planApproval)).toMatchObject({
      status: 'pending',
      decisions: [],
    });
  });

  it('shows a token limited to one unit only that unit in the congress view', async () => {
    const full = await api().get(`/congresses/${CONGRESS}`).set('Authorization', coordinator).expect(200);
    await eventually(async () => {
      const r = await api().get(`/congresses/${CONGRESS}`).set('Authorization', coordinator);
      return Object.keys(r.body.progress ?? {}).length === 2 ? true : undefined;
    });
    expect(full.body.units.sort()).toEqual(['BPHC', 'BPTT']);
    const token = await rs(claims(['viewer'], { units: ['BPHC'] }));
    const r = await fetch(`${hardened.url}/congresses/${CONGRESS}`, { headers: { authorization: `Bearer ${token}` } });
    expect(r.status).toBe(200);
    const scoped = (await r.json()) as { units: string[]; progress: Record<string, unknown> };
    expect(scoped.units).toEqual(['BPHC']);
    expect(Object.keys(scoped.progress)).toEqual(['BPHC']);
    expect(JSON.stringify(scoped)).not.toContain('BPTT');
  });
});

describe('limits and headers over plain http', () => {
  it('counts a client by its connection, not by X-Forwarded-For, unless a proxy is trusted; no HSTS over http', async () => {
    const plain = await startApi('plain', { JWT_SECRET: E2E_JWT_SECRET, THROTTLE_LIMIT: '10' });
    const proxied = await startApi('proxied', {
      JWT_SECRET: E2E_JWT_SECRET,
      THROTTLE_LIMIT: '10',
      TRUST_PROXY: 'loopback',
    });
    try {
      const spoofed = async (base: string) => {
        const statuses: number[] = [];
        for (let i = 0; i < 60; i++) {
          const r = await fetch(`${base}/plans`, { headers: { 'x-forwarded-for': `203.0.113.${i}` } });
          statuses.push(r.status);
          await r.arrayBuffer();
        }
        return statuses.filter((s) => s === 429).length;
      };
      const refused = await spoofed(plain.url);
      console.log(`X-Forwarded-For spoofing: 60 requests, ${refused} refused (limit 10)`);
      expect(refused).toBe(50);
      // Behind a trusted proxy, the proxy's X-Forwarded-For names the client (as it should).
      expect(await spoofed(proxied.url)).toBe(0);

      const docs = await fetch(`${plain.url}/docs`);
      expect(docs.status).toBe(200);
      expect(docs.headers.get('strict-transport-security')).toBeNull();
      expect(docs.headers.get('content-security-policy')).not.toContain('upgrade-insecure-requests');
      expect(await docs.text()).toContain('swagger');
      // TLS ended at a trusted proxy: HSTS and the upgrade directive are on.
      const overTls = await fetch(`${proxied.url}/docs`, { headers: { 'x-forwarded-proto': 'https' } });
      expect(overTls.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
      expect(overTls.headers.get('content-security-policy')).toContain('upgrade-insecure-requests');
      // A client cannot claim TLS to an API that trusts no proxy.
      const claimed = await fetch(`${plain.url}/docs`, { headers: { 'x-forwarded-proto': 'https' } });
      expect(claimed.headers.get('strict-transport-security')).toBeNull();
    } finally {
      await stopProcess(plain.child);
      await stopProcess(proxied.child);
    }
  });
});
