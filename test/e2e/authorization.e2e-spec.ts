/**
 * Who may do what, over HTTP: every mutating route (and every read) against every role, no token and bad
 * tokens; tokens limited to units; and a decision from outside the approver group, refused and recorded.
 * Allowed means "not 401/403": an allowed call may still get 400/404/409 from validation or the domain. The
 * bodies are chosen so that allowed calls change nothing that matters (unknown tasks, missing reasons).
 */
import { JwtService } from '@nestjs/jwt';
import { api, bearer, eventually } from './client';
import { E2E_JWT_SECRET } from './stack';
import { mintToken } from '../../scripts/mint-token';
import { addCalendarDays, localDateOf, logisticsPlan, propagandaPlan, provincialCongress } from '../../libs/domain';
import type { Role } from '../../apps/api/auth/roles';

const CONGRESS = 'dh-authz';
const ROLES: Role[] = ['coordinator', 'approver', 'viewer', 'admin'];
const claims = (roles: Role[]) => ({ sub: `authz-${roles.join('-')}`, name: 'Kiểm thử phân quyền', roles });

/** Callers that never get past authentication, with the reason the API must give. */
const UNAUTHENTICATED: Array<{ caller: string; authorization?: string; because: RegExp }> = [
  { caller: 'no token', because: /missing bearer token/ },
  { caller: 'not a bearer scheme', authorization: 'Basic dnB0dS10dDE6c2VjcmV0', because: /missing bearer token/ },
  { caller: 'malformed token', authorization: 'Bearer not.a-jwt', because: /invalid token/ },
  {
    caller: 'expired token',
    authorization: `Bearer ${mintToken(E2E_JWT_SECRET, claims(['admin']), -1)}`,
    because: /expired/,
  },
  {
    caller: 'token signed with another secret',
    authorization: `Bearer ${mintToken('some-other-secret-0123456789abcdef', claims(['admin']))}`,
    because: /invalid signature/,
  },
  {
    caller: 'unsigned token (alg none)',
    authorization: `Bearer ${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(
      JSON.stringify({ ...claims(['admin']), exp: Math.floor(Date.now() / 1000) + 3600 }),
    ).toString('base64url')}.`,
    because: /invalid token/,
  },
  {
    caller: 'token without an expiry (exp)',
    authorization: `Bearer ${new JwtService({ secret: E2E_JWT_SECRET }).sign({ sub: 'x', roles: ['admin'] })}`,
    because: /no expiry/,
  },
  {
    caller: 'token valid for ten years',
    authorization: `Bearer ${mintToken(E2E_JWT_SECRET, claims(['admin']), 24 * 365 * 10)}`,
    because: /lifetime/,
  },
  {
    caller: 'token with an unknown role',
    authorization: `Bearer ${new JwtService({ secret: E2E_JWT_SECRET }).sign({ sub: 'x', roles: ['superuser'] }, { expiresIn: 3600 })}`,
    because: /roles/,
  },
];

interface Route {
  name: string;
  method: 'get' | 'post' | 'patch';
  path: string;
  body?: object;
  /** Roles the route names; admin may always call it. */
  roles: Role[];
  /** What an allowed caller gets: the bodies make most commands fail in validation or the domain, harmlessly. */
  allowed: number;
}

const PLAN = `/plans/${CONGRESS}/BPTT`;
const NO_TASK = `${PLAN}/tasks/NO-SUCH-TASK`;

const C: Role[] = ['coordinator'];
const MUTATING: Route[] = [
  // Congress-wide: an empty body is refused by validation once the caller is let in.
  { name: 'create a congress', method: 'post', path: '/congresses', body: {}, roles: C, allowed: 400 },
  {
    name: 'create from a template',
    method: 'post',
    path: '/congresses/from-template',
    body: {},
    roles: C,
    allowed: 400,
  },
  // Dry runs: they start nothing, a viewer may run them too.
  {
    name: 'simulate a congress',
    method: 'post',
    path: '/congresses/simulate',
    body: {},
    roles: ['coordinator', 'viewer'],
    allowed: 400,
  },
  {
    name: 'validate a congress',
    method: 'post',
    path: '/congresses/validate',
    body: {},
    roles: ['coordinator', 'viewer'],
    allowed: 400,
  },
  { name: 'move congress day', method: 'post', path: `/congresses/${CONGRESS}/move`, body: {}, roles: C, allowed: 400 },
  {
    name: 'activate a congress-wide scenario',
    method: 'post',
    path: `/congresses/${CONGRESS}/contingencies/epidemic/activate`,
    body: {},
    roles: [],
    allowed: 400,
  },
  {
    name: 'end a congress-wide scenario',
    method: 'post',
    path: `/congresses/${CONGRESS}/contingencies/epidemic/deactivate`,
    body: {},
    roles: [],
    allowed: 400,
  },
  { name: 'add a plan', method: 'post', path: `/congresses/${CONGRESS}/plans`, body: {}, roles: C, allowed: 400 },
  // A plan's tasks: a task that does not exist.
  { name: 'add a task', method: 'post', path: `${PLAN}/tasks`, body: { reason: 'r' }, roles: C, allowed: 400 },
  { name: 'edit a task', method: 'patch', path: NO_TASK, body: { reason: 'r', title: 't' }, roles: C, allowed: 404 },
  {
    name: 'report progress',
    method: 'post',
    path: `${NO_TASK}/progress`,
    body: { progress: 10 },
    roles: C,
    allowed: 404,
  },
  { name: 'complete a task', method: 'post', path: `${NO_TASK}/complete`, body: {}, roles: C, allowed: 404 },
  {
    name: 'reassign a task',
    method: 'post',
    path: `${NO_TASK}/reassign`,
    body: { reason: 'r', leadAgency: 'BTG' },
    roles: C,
    allowed: 404,
  },
  {
    name: 'change a deadline',
    method: 'post',
    path: `${NO_TASK}/deadline`,
    body: { reason: 'r', due: 'T-5d' },
    roles: C,
    allowed: 404,
  },
  { name: 'waive a task', method: 'post', path: `${NO_TASK}/waive`, body: { reason: 'r' }, roles: C, allowed: 404 },
  {
    name: 'acknowledge an escalation',
    method: 'post',
    path: `${NO_TASK}/acknowledge`,
    body: { holdFor: '1d' },
    roles: C,
    allowed: 404,
  },
  {
    name: "reassign an agency's tasks",
    method: 'post',
    path: `${PLAN}/agencies/reassign`,
    body: { reason: 'r', fromAgency: 'NO-SUCH-AGENCY', toAgency: 'BTG' },
    roles: C,
    allowed: 404,
  },
  // The plan itself: a comment is harmless; the draft is already submitted; unknown scenarios; no reason.
  {
    name: 'comment on the draft',
    method: 'post',
    path: `${PLAN}/comments`,
    body: { text: 'Góp ý bằng văn bản' },
    roles: ['coordinator', 'approver'],
    allowed: 200,
  },
  { name: 'submit the draft', method: 'post', path: `${PLAN}/submit`, roles: C, allowed: 409 },
  {
    name: 'request a contingency',
    method: 'post',
    path: `${PLAN}/contingencies/no-such-scenario/request`,
    body: {},
    roles: C,
    allowed: 404,
  },
  {
    name: 'emergency activation',
    method: 'post',
    path: `${PLAN}/contingencies/no-such-scenario/emergency`,
    body: { reason: 'r' },
    roles: [],
    allowed: 404,
  },
  {
    name: 'end a contingency',
    method: 'post',
    path: `${PLAN}/contingencies/no-such-scenario/deactivate`,
    body: { reason: 'r' },
    roles: C,
    allowed: 404,
  },
  { name: 'stop a plan', method: 'post', path: `${PLAN}/stop`, body: {}, roles: C, allowed: 400 },
  {
    name: 'decide on an approval',
    method: 'post',
    path: `/approvals/${CONGRESS}/BPTT/A999/decision`,
    body: { decision: 'approve' },
    roles: ['approver'],
    allowed: 404,
  },
];

const READERS: Role[] = ['viewer', 'coordinator', 'approver'];
const READS: Route[] = [
  { name: 'a congress', method: 'get', path: `/congresses/${CONGRESS}`, roles: READERS, allowed: 200 },
  { name: 'the list of plans', method: 'get', path: `/plans?congress=${CONGRESS}`, roles: READERS, allowed: 200 },
  { name: 'a plan', method: 'get', path: PLAN, roles: READERS, allowed: 200 },
  ...['timeline', 'escalations', 'overdue', 'approvals', 'report', 'audit'].map(
    (what): Route => ({
      name: `a plan's ${what}`,
      method: 'get',
      path: `${PLAN}/${what}`,
      roles: READERS,
      allowed: 200,
    }),
  ),
  { name: 'the approval inbox', method: 'get', path: '/approvals/inbox', roles: ['approver'], allowed: 200 },
  { name: 'the congress templates', method: 'get', path: '/templates', roles: READERS, allowed: 200 },
  {
    name: 'a template simulated',
    method: 'get',
    path: `/templates/province/simulate?congressDay=${addCalendarDays(localDateOf(Date.now(), 'Asia/Ho_Chi_Minh'), 60)}`,
    roles: READERS,
    allowed: 200,
  },
];

function send(route: Route, authorization?: string) {
  let request = api()[route.method](route.path);
  if (authorization) request = request.set('Authorization', authorization);
  return route.body === undefined ? request : request.send(route.body);
}

/** What every caller got from one route: 'allowed' (with the status) or the 401/403 itself. */
async function matrix(route: Route) {
  const actual: Record<string, number | string> = {};
  const expected: Record<string, number | string> = {};
  for (const role of ROLES) {
    const response = await send(route, bearer(`authz-${role}`, [role]));
    const allowed = role === 'admin' || route.roles.includes(role);
    expect(response.type).toBe('application/json');
    expect(response.status).not.toBe(500);
    expect(response.status).not.toBe(401);
    // Allowed: not 401/403, and here the very answer the domain or validation gives for these bodies.
    actual[role] = response.status === 403 ? 403 : `allowed (${response.status})`;
    expected[role] = allowed ? `allowed (${route.allowed})` : 403;
    if (response.status === 403) {
      expect(response.body).toMatchObject({ statusCode: 403, code: 'FORBIDDEN' });
      expect(response.body.message).toMatch(/requires one of the roles/);
    } else if (response.status >= 400) {
      expect(response.body.statusCode).toBe(response.status);
    }
  }
  for (const { caller, authorization, because } of UNAUTHENTICATED) {
    const response = await send(route, authorization);
    actual[caller] = response.status;
    expected[caller] = 401;
    if (response.status === 401) {
      expect(response.body).toMatchObject({ statusCode: 401, code: 'UNAUTHENTICATED' });
      expect([caller, response.body.message]).toEqual([caller, expect.stringMatching(because)]);
    }
  }
  return { actual, expected };
}

describe('authorization over HTTP', () => {
  const startDate = addCalendarDays(localDateOf(Date.now(), 'Asia/Ho_Chi_Minh'), 60);
  const coordinator = bearer('vptu-tt1', ['coordinator']);
  let planApproval = '';

  beforeAll(async () => {
    await api()
      .post('/congresses')
      .set('Authorization', coordinator)
      .send({ congress: provincialCongress(CONGRESS, startDate), plans: [propagandaPlan(), logisticsPlan()] })
      .expect(201);
    for (const unit of ['BPTT', 'BPHC']) {
      await eventually(async () => {
        const r = await api().get(`/plans/${CONGRESS}/${unit}`).set('Authorization', coordinator);
        return r.status === 200 ? true : undefined;
      });
    }
    // BPTT goes to the Standing Committee, so that there is a decision to take.
    const submitted = await api().post(`${PLAN}/submit`).set('Authorization', coordinator).expect(200);
    planApproval = submitted.body.approvalId;
  });

  it.each(MUTATING.map((r) => [r.name, r] as const))('mutating route: %s', async (_name, route) => {
    const { actual, expected } = await matrix(route);
    expect(actual).toEqual(expected);
  });

  it.each(READS.map((r) => [r.name, r] as const))('read route: %s', async (_name, route) => {
    const { actual, expected } = await matrix(route);
    expect(actual).toEqual(expected);
  });

  it('a token limited to BPHC may work on BPHC, not on BPTT, and not congress-wide', async () => {
    const scoped = bearer('ngtu', ['coordinator', 'approver', 'viewer'], ['BPHC']);

    const other = await api()
      .post(`/plans/${CONGRESS}/BPTT/tasks/TT-03/complete`)
      .set('Authorization', scoped)
      .send({})
      .expect(403);
    expect(other.body).toMatchObject({ statusCode: 403, code: 'FORBIDDEN' });
    expect(other.body.message).toMatch(/limited to units BPHC/);
    await api().get(`/plans/${CONGRESS}/BPTT`).set('Authorization', scoped).expect(403);
    await api()
      .post(`/approvals/${CONGRESS}/BPTT/${planApproval}/decision`)
      .set('Authorization', scoped)
      .send({ decision: 'approve' })
      .expect(403);

    const own = await api().get(`/plans/${CONGRESS}/BPHC`).set('Authorization', scoped).expect(200);
    expect(own.body.unit.code).toBe('BPHC');
    const commented = await api()
      .post(`/plans/${CONGRESS}/BPHC/comments`)
      .set('Authorization', scoped)
      .send({ text: 'Đề nghị bổ sung phương án hội trường dự phòng' })
      .expect(200);
    expect(commented.body).toEqual({ ok: true, status: 'draft' });
    await api()
      .post(`/plans/${CONGRESS}/BPHC/tasks/NO-SUCH-TASK/complete`)
      .set('Authorization', scoped)
      .send({})
      .expect(404);

    // Congress-wide changes reach every unit's plan: not with a token limited to some.
    const move = await api()
      .post(`/congresses/${CONGRESS}/move`)
      .set('Authorization', scoped)
      .send({ startDate: addCalendarDays(startDate, 1), endDate: addCalendarDays(startDate, 3), reason: 'r' })
      .expect(403);
    expect(move.body.message).toMatch(/congress-wide/);
    const view = await api().get(`/congresses/${CONGRESS}`).set('Authorization', coordinator).expect(200);
    expect(view.body.congress.startDate).toBe(startDate);

    // Lists only show the units in scope.
    const everything = await eventually(async () => {
      const r = await api().get(`/plans?congress=${CONGRESS}`).set('Authorization', coordinator).expect(200);
      return r.body.items.length === 2 ? r.body.items : undefined;
    });
    expect(everything.map((p: { unitCode: string }) => p.unitCode).sort()).toEqual(['BPHC', 'BPTT']);
    const mine = await api().get(`/plans?congress=${CONGRESS}`).set('Authorization', scoped).expect(200);
    expect(mine.body.items.map((p: { unitCode: string }) => p.unitCode)).toEqual(['BPHC']);
  });

  it('a decision from outside the approver group is refused (403) and recorded in the audit log', async () => {
    const outsider = bearer('btv-9', ['approver']);
    const refused = await api()
      .post(`/approvals/${CONGRESS}/BPTT/${planApproval}/decision`)
      .set('Authorization', outsider)
      .send({ decision: 'approve', comment: 'Tôi đồng ý' })
      .expect(403);
    expect(refused.body).toMatchObject({ statusCode: 403, code: 'FORBIDDEN' });
    expect(refused.body.message).toMatch(/btv-9 is not among the approvers/);

    // A viewer is stopped at the door: no role, no attempt to record.
    await api()
      .post(`/approvals/${CONGRESS}/BPTT/${planApproval}/decision`)
      .set('Authorization', bearer('btv-viewer', ['viewer']))
      .send({ decision: 'approve' })
      .expect(403);

    const audit = await api().get(`${PLAN}/audit?limit=500`).set('Authorization', coordinator).expect(200);
    const attempts = (audit.body.entries as Array<{ actor: string; action: string; target?: string }>).filter(
      (e) => e.action === 'approval.decision-refused',
    );
    expect(attempts).toEqual([
      expect.objectContaining({ actor: 'btv-9', target: planApproval, details: { decision: 'approve' } }),
    ]);
    expect(JSON.stringify(audit.body.entries)).not.toContain('btv-viewer');

    // The approval is untouched: still pending, no decision counted.
    const approvals = await api().get(`${PLAN}/approvals`).set('Authorization', coordinator).expect(200);
    expect(approvals.body.find((a: { id: string }) => a.id === planApproval)).toMatchObject({
      status: 'pending',
      decisions: [],
    });
  });
});
