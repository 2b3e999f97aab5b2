/**
 * Errors that say what happened (issue 7, item 6), over real HTTP to a real worker: an impossible calendar
 * date, JSON nested too deep and a bad list filter are the client's mistakes (400 naming the field, answered
 * at once); Temporal refusing for load is 429 with Retry-After, and a retry with the same Idempotency-Key
 * applies each request exactly once; a command to a plan that has finished is 409. Never a 5xx for any of them.
 */
import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { api, apiUrl, bearer, eventually, startCongress } from './client';
import { addCalendarDays, localDateOf, propagandaPlan, provincialCongress } from '../../libs/domain';

const CONGRESS = 'dh-errors';
const PLAN = `/plans/${CONGRESS}/BPTT`;
const coordinator = bearer('vptu-tt1', ['coordinator']);
const startDate = addCalendarDays(localDateOf(Date.now(), 'Asia/Ho_Chi_Minh'), 60);

function expectIssue(response: Response, status: number, field: string): void {
  expect({ status: response.status, body: response.body }).toMatchObject({
    status,
    body: { statusCode: status, requestId: response.headers['x-request-id'] },
  });
  const paths = (response.body.issues ?? []).map((i: { path: string }) => i.path);
  expect(paths).toContain(field);
  expect(([] as string[]).concat(response.body.message).join('\n')).toContain(`${field}:`);
}

describe('errors that say what happened', () => {
  beforeAll(async () => {
    await startCongress(apiUrl(), CONGRESS, [propagandaPlan()]);
  });

  describe('impossible calendar dates are 400 naming the field', () => {
    it.each([
      [
        'from a template',
        () =>
          api()
            .post('/congresses/from-template')
            .send({ template: 'provincial', id: 'dh-feb30', startDate: '2026-02-30' }),
        'startDate',
      ],
      [
        'in a full definition',
        () =>
          api()
            .post('/congresses')
            .send({
              congress: { ...provincialCongress('dh-feb30', startDate), startDate: '2026-02-30' },
              plans: [propagandaPlan()],
            }),
        'congress.startDate',
      ],
      [
        'in a move of congress day',
        () =>
          api()
            .post(`/congresses/${CONGRESS}/move`)
            .send({ startDate: '2027-04-31', endDate: '2027-05-02', reason: 'Lùi' }),
        'startDate',
      ],
      [
        'among extra holidays',
        () => {
          const plan = propagandaPlan();
          plan.calendar = { ...plan.calendar, extraHolidays: ['2026-13-01'] };
          return api()
            .post('/congresses')
            .send({ congress: provincialCongress('dh-feb30', startDate), plans: [plan] });
        },
        'plans[0].calendar.extraHolidays',
      ],
    ])('%s', async (_what, request, field) => {
      expectIssue(await request().set('Authorization', coordinator), 400, field);
    });
  });

  it('refuses JSON nested 5,000 deep with 400, not a stack overflow', async () => {
    const deep = `{"text": ${'['.repeat(5000)}${']'.repeat(5000)}}`;
    const response = await api()
      .post(`${PLAN}/comments`)
      .set('Authorization', coordinator)
      .set('Content-Type', 'application/json')
      .send(deep);
    expect({ status: response.status, code: response.body.code }).toEqual({ status: 400, code: 'JSON_TOO_DEEP' });
    expect(String(response.body.message)).toMatch(/nested deeper than \d+ levels/);
  });

  it.each([
    ['a NUL byte', 'congress', `${CONGRESS}\u0000`],
    ['a quote', 'unit', "BPTT' OR ExecutionStatus = 'Running"],
    ['a backslash', 'contingency', 'epi\\demic'],
    ['an over-long value', 'congress', 'a'.repeat(500)],
  ])('refuses %s in a list filter with 400 at once, before Temporal sees it', async (_what, field, value) => {
    const started = Date.now();
    const response = await api()
      .get('/plans')
      .query({ [field]: value })
      .set('Authorization', coordinator);
    expectIssue(response, 400, field);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('answers a list filter that is well formed but matches nothing with an empty page', async () => {
    const response = await api()
      .get('/plans')
      .query({ congress: 'dh-none', unit: 'BPXX' })
      .set('Authorization', coordinator);
    expect(response.status).toBe(200);
    expect(response.body.items).toEqual([]);
  });

  it('answers 429 with Retry-After when too many updates are in flight on one plan, and a keyed retry applies each once', async () => {
    const COUNT = 120;
    const keys = Array.from({ length: COUNT }, (_, i) => `load-${i}-${randomUUID()}`);
    const send = (i: number) =>
      api()
        .post(`${PLAN}/comments`)
        .set('Authorization', coordinator)
        .set('Idempotency-Key', keys[i])
        .send({ text: `Góp ý số ${i}` });
    const first = await Promise.all(keys.map((_, i) => send(i)));
    const statuses = first.map((r) => r.status);
    const tally = (list: number[]) =>
      Object.fromEntries([...new Set(list)].map((s) => [s, list.filter((x) => x === s).length]));
    console.log(`${COUNT} concurrent comments on one plan: ${JSON.stringify(tally(statuses))}`);
    // Success, "slow down" (429: not admitted, nothing applied) or, when the plan is too busy to confirm an
    // admitted change within the API's deadline, 503 UPDATE_TIMEOUT; never a 500, and never "unreachable".
    for (const r of first.filter((x) => x.status !== 200)) {
      expect([
        [429, 'TOO_MANY_UPDATES'],
        [503, 'UPDATE_TIMEOUT'],
      ]).toContainEqual([r.status, r.body.code]);
      expect(r.headers['retry-after']).toMatch(/^\d+$/);
    }
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    // Comments beyond a count move to the archive, so count them in the audit log: one entry per comment applied.
    const commentsApplied = async () =>
      (
        (await api().get(`${PLAN}/audit`).query({ limit: 500 }).set('Authorization', coordinator).expect(200)).body
          .entries as Array<{ action: string }>
      ).filter((e) => e.action === 'plan.commented').length;
    // Nothing refused with 429 was applied (a 503 one may have been: it was admitted).
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const afterBurst = await commentsApplied();
    const ok = statuses.filter((s) => s === 200).length;
    expect(afterBurst).toBeGreaterThanOrEqual(ok);
    expect(afterBurst).toBeLessThanOrEqual(ok + statuses.filter((s) => s === 503).length);
    // Every refused request retried with its own key, by a few clients honouring Retry-After, until answered.
    const pending = statuses.flatMap((s, i) => (s === 200 ? [] : [i]));
    let retries = 0;
    let replayed = 0;
    const retryClient = async () => {
      for (let i = pending.shift(); i !== undefined; i = pending.shift()) {
        for (let attempt = 0; ; attempt++) {
          const r = await send(i);
          retries++;
          expect([200, 429, 503]).toContain(r.status);
          if (r.status === 200) {
            if (r.body.replayed === true) replayed++;
            break;
          }
          if (attempt >= 20) throw new Error(`request ${i} still refused after ${attempt} retries`);
          await new Promise((resolve) => setTimeout(resolve, Number(r.headers['retry-after']) * 1000));
        }
      }
    };
    await Promise.all(Array.from({ length: 4 }, retryClient));
    console.log(`${retries} keyed retries until all answered; ${replayed} answered as replays of an earlier success`);
    // A success retried with its key is answered from the plan's log, not applied again.
    for (const i of statuses.flatMap((s, index) => (s === 200 ? [index] : [])).slice(0, 5)) {
      const again = await send(i);
      expect({ status: again.status, replayed: again.body.replayed }).toEqual({ status: 200, replayed: true });
    }
    expect(await commentsApplied()).toBe(COUNT);
  });

  it('answers 409 to a command on a plan that has finished, and 404 still to one that never existed', async () => {
    await api().post(`${PLAN}/stop`).set('Authorization', coordinator).send({ reason: 'Dừng để thử' }).expect(200);
    const closed = await eventually(async () => {
      const r = await api().post(`${PLAN}/comments`).set('Authorization', coordinator).send({ text: 'Muộn' });
      // While the plan winds down it still answers (the domain refuses with INVALID_TRANSITION); then it ends.
      return r.status === 200 || r.body.code === 'INVALID_TRANSITION' ? undefined : r;
    });
    expect({ status: closed.status, code: closed.body.code }).toEqual({ status: 409, code: 'PLAN_FINISHED' });
    expect(String(closed.body.message)).toMatch(/BPTT.*(stopped|closed|finished)/);
    const never = await api()
      .post(`/plans/${CONGRESS}/BPXX/comments`)
      .set('Authorization', coordinator)
      .send({ text: 'x' });
    expect(never.status).toBe(404);
  });
});
