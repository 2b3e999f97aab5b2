/**
 * Bad input over HTTP: a table of wrong requests, each answered with the right status and an error body that
 * names the offending field (or the missing thing), as JSON with `statusCode` equal to the HTTP status and an
 * X-Request-Id, never 500. Then rate limiting, on an API process of our own started with a limit of 3.
 */
import path from 'node:path';
import type { Test } from 'supertest';
import { api, bearer, eventually } from './client';
import { E2E_JWT_SECRET, freePort, startNodeProcess, waitForHttp } from './stack';
import { stopProcess } from '../../scripts/dev-server';
import {
  addCalendarDays,
  localDateOf,
  propagandaPlan,
  provincialCongress,
  type CongressDefinition,
  type UnitPlanDefinition,
} from '../../libs/domain';

const CONGRESS = 'dh-badinput';
const PLAN = `/plans/${CONGRESS}/BPTT`;
const coordinator = bearer('vptu-tt1', ['coordinator']);
const approver = (id: string) => bearer(id, ['approver']);
const startDate = addCalendarDays(localDateOf(Date.now(), 'Asia/Ho_Chi_Minh'), 60);

/** A valid definition to spoil, under an id that is never created (each spoiled one must be refused). */
function definition(spoil: (d: { congress: CongressDefinition; plans: UnitPlanDefinition[] }) => void): object {
  const d = { congress: provincialCongress('dh-badinput-never', startDate), plans: [propagandaPlan()] };
  spoil(d);
  return d;
}

interface BadInput {
  name: string;
  request: () => Test;
  status: number;
  /** For 400: the `path` of an issue the answer must carry (and its message must name). */
  field?: string;
  /** What the message must say otherwise (names the header, task, approval… at fault). */
  mentions?: RegExp;
}

const ids = { planApproval: '', pendingApproval: '' };

const cases: BadInput[] = [
  // Shape and types, checked by the validation pipe.
  {
    name: 'an unknown property',
    request: () => api().post(`${PLAN}/comments`).set('Authorization', coordinator).send({ text: 'Góp ý', foo: 1 }),
    status: 400,
    field: 'foo',
  },
  {
    name: 'a wrong type (progress as text)',
    request: () =>
      api().post(`${PLAN}/tasks/TT-04/progress`).set('Authorization', coordinator).send({ progress: 'fifty' }),
    status: 400,
    field: 'progress',
  },
  {
    name: 'a number out of range (progress 100: complete the task instead)',
    request: () => api().post(`${PLAN}/tasks/TT-04/progress`).set('Authorization', coordinator).send({ progress: 100 }),
    status: 400,
    field: 'progress',
  },
  {
    name: 'a wrong type in a nested field (plans[0].tasks[1].due as a number)',
    request: () =>
      api()
        .post('/congresses')
        .set('Authorization', coordinator)
        .send(definition((d) => Object.assign(d.plans[0].tasks[1], { due: 42 }))),
    status: 400,
    field: 'plans[0].tasks[1].due',
  },
  {
    name: 'a missing nested object (congress)',
    request: () =>
      api()
        .post('/congresses')
        .set('Authorization', coordinator)
        .send({ plans: [propagandaPlan()] }),
    status: 400,
    field: 'congress',
  },
  {
    name: 'a missing nested object (congress.people)',
    request: () =>
      api()
        .post('/congresses')
        .set('Authorization', coordinator)
        .send(definition((d) => delete (d.congress as Partial<CongressDefinition>).people)),
    status: 400,
    field: 'congress.people',
  },
  {
    name: 'a missing task in "add a task"',
    request: () => api().post(`${PLAN}/tasks`).set('Authorization', coordinator).send({ reason: 'Bổ sung' }),
    status: 400,
    field: 'task',
  },
  {
    name: 'a decision that is neither approve nor reject',
    request: () =>
      api()
        .post(`/approvals/${CONGRESS}/BPTT/${ids.pendingApproval}/decision`)
        .set('Authorization', approver('btv-2'))
        .send({ decision: 'maybe' }),
    status: 400,
    field: 'decision',
  },
  {
    name: 'a change to the plan without a reason',
    request: () => api().post(`${PLAN}/tasks/TT-04/waive`).set('Authorization', coordinator).send({}),
    status: 400,
    field: 'reason',
  },
  {
    name: 'a hold that is not a duration',
    request: () =>
      api().post(`${PLAN}/tasks/TT-04/acknowledge`).set('Authorization', coordinator).send({ holdFor: 'forever' }),
    status: 400,
    field: 'holdFor',
  },
  // Meaning, checked by the domain validator (the path still names the field).
  {
    name: 'a due time the schedule cannot read (plans[0].tasks[1].due)',
    request: () =>
      api()
        .post('/congresses')
        .set('Authorization', coordinator)
        .send(definition((d) => (d.plans[0].tasks[1].due = 'next week'))),
    status: 400,
    field: 'plans[0].tasks[1].due',
  },
  {
    name: 'an unknown lead agency in a definition',
    request: () =>
      api()
        .post('/congresses')
        .set('Authorization', coordinator)
        .send(definition((d) => (d.plans[0].tasks[2].leadAgency = 'SO-KHONG-CO'))),
    status: 400,
    field: 'plans[0].tasks[2].leadAgency',
  },
  {
    name: 'an unknown lead agency in an added task',
    request: () =>
      api()
        .post(`${PLAN}/tasks`)
        .set('Authorization', coordinator)
        .send({
          task: {
            id: 'TT-20',
            title: 'Nhiệm vụ mới',
            group: 'noi-dung',
            phase: 'before',
            leadAgency: 'XYZ',
            due: 'T-5d',
          },
          reason: 'Bổ sung',
        }),
    status: 400,
    field: 'task.leadAgency',
  },
  {
    name: 'a dependency cycle (TT-01 → TT-02 → TT-01)',
    request: () =>
      api()
        .post('/congresses')
        .set('Authorization', coordinator)
        .send(definition((d) => (d.plans[0].tasks[0].dependsOn = ['TT-02']))),
    status: 400,
    field: 'plans[0].tasks[0].dependsOn',
  },
  {
    name: 'a task that depends on itself',
    request: () =>
      api()
        .post(`${PLAN}/tasks`)
        .set('Authorization', coordinator)
        .send({
          task: {
            id: 'TT-21',
            title: 'Nhiệm vụ vòng lặp',
            group: 'noi-dung',
            phase: 'before',
            leadAgency: 'BTG',
            due: 'T-5d',
            dependsOn: ['TT-21'],
          },
          reason: 'Bổ sung',
        }),
    status: 400,
    field: 'task.dependsOn[0]',
  },
  {
    name: 'a new deadline the schedule cannot read',
    request: () =>
      api()
        .post(`${PLAN}/tasks/TT-04/deadline`)
        .set('Authorization', coordinator)
        .send({ due: 'T-abc', reason: 'Điều chỉnh' }),
    status: 400,
    field: 'due',
  },
  {
    name: 'congress day moved to end before it starts',
    request: () =>
      api()
        .post(`/congresses/${CONGRESS}/move`)
        .set('Authorization', coordinator)
        .send({ startDate: addCalendarDays(startDate, 5), endDate: addCalendarDays(startDate, 3), reason: 'Lùi' }),
    status: 400,
    field: 'endDate',
  },
  // Things that do not exist.
  {
    name: 'an unknown congress',
    request: () => api().get('/congresses/dh-khong-co').set('Authorization', coordinator),
    status: 404,
    mentions: /congress dh-khong-co/,
  },
  {
    name: 'moving an unknown congress',
    request: () =>
      api()
        .post('/congresses/dh-khong-co/move')
        .set('Authorization', coordinator)
        .send({ startDate, endDate: addCalendarDays(startDate, 1), reason: 'Lùi' }),
    status: 404,
    mentions: /congress dh-khong-co/,
  },
  {
    name: 'an unknown plan',
    request: () => api().get(`/plans/${CONGRESS}/BPXX`).set('Authorization', coordinator),
    status: 404,
    mentions: /BPXX/,
  },
  {
    name: 'a command to an unknown plan',
    request: () =>
      api().post(`/plans/${CONGRESS}/BPXX/tasks/TT-01/complete`).set('Authorization', coordinator).send({}),
    status: 404,
    mentions: /BPXX/,
  },
  {
    name: 'an unknown task',
    request: () => api().post(`${PLAN}/tasks/TT-99/complete`).set('Authorization', coordinator).send({}),
    status: 404,
    mentions: /task TT-99/,
  },
  {
    name: 'an unknown approval',
    request: () =>
      api()
        .post(`/approvals/${CONGRESS}/BPTT/A99/decision`)
        .set('Authorization', approver('btv-1'))
        .send({ decision: 'approve' }),
    status: 404,
    mentions: /approval A99/,
  },
  {
    name: 'an unknown contingency scenario',
    request: () =>
      api().post(`${PLAN}/contingencies/flood/request`).set('Authorization', coordinator).send({ reason: 'Mưa lũ' }),
    status: 404,
    mentions: /flood/,
  },
  // Not allowed in the current state.
  {
    name: 'completing a done task',
    request: () => api().post(`${PLAN}/tasks/TT-03/complete`).set('Authorization', coordinator).send({}),
    status: 409,
    mentions: /TT-03 is done/,
  },
  {
    name: 'deciding twice',
    request: () =>
      api()
        .post(`/approvals/${CONGRESS}/BPTT/${ids.pendingApproval}/decision`)
        .set('Authorization', approver('btv-1'))
        .send({ decision: 'reject', comment: 'Đổi ý' }),
    status: 409,
    mentions: /btv-1 has already decided/,
  },
  {
    name: 'deciding on an approval that is no longer pending',
    request: () =>
      api()
        .post(`/approvals/${CONGRESS}/BPTT/${ids.planApproval}/decision`)
        .set('Authorization', approver('btv-3'))
        .send({ decision: 'approve' }),
    status: 409,
    mentions: /already approved/,
  },
  {
    name: 'submitting a plan that is no longer a draft',
    request: () => api().post(`${PLAN}/submit`).set('Authorization', coordinator),
    status: 409,
    mentions: /not a draft/,
  },
  // The transport: body size, JSON syntax, headers, query strings.
  {
    name: 'a body over the limit (BODY_LIMIT 256kb)',
    request: () =>
      api()
        .post(`${PLAN}/comments`)
        .set('Authorization', coordinator)
        .send({ text: 'a'.repeat(300 * 1024) }),
    status: 413,
    mentions: /larger than the limit of 262144 bytes/,
  },
  {
    name: 'malformed JSON',
    request: () =>
      api()
        .post(`${PLAN}/comments`)
        .set('Authorization', coordinator)
        .set('Content-Type', 'application/json')
        .send('{"text": "Góp ý",}'),
    status: 400,
    mentions: /JSON/,
  },
  {
    name: 'a body in an unsupported charset',
    request: () =>
      api()
        .post(`${PLAN}/comments`)
        .set('Authorization', coordinator)
        .set('Content-Type', 'application/json; charset=latin9')
        .send('{"text": "x"}'),
    status: 415,
    mentions: /charset/,
  },
  {
    name: 'an Idempotency-Key that is too short',
    request: () =>
      api()
        .post(`${PLAN}/tasks/TT-04/complete`)
        .set('Authorization', coordinator)
        .set('Idempotency-Key', 'abc')
        .send({}),
    status: 400,
    mentions: /Idempotency-Key/,
  },
  {
    name: 'an Idempotency-Key with spaces',
    request: () =>
      api()
        .post(`${PLAN}/tasks/TT-04/complete`)
        .set('Authorization', coordinator)
        .set('Idempotency-Key', 'not a valid key')
        .send({}),
    status: 400,
    mentions: /Idempotency-Key/,
  },
  {
    name: 'limit=0 on GET /plans',
    request: () => api().get('/plans?limit=0').set('Authorization', coordinator),
    status: 400,
    field: 'limit',
  },
  {
    name: 'limit=abc on GET /plans',
    request: () => api().get('/plans?limit=abc').set('Authorization', coordinator),
    status: 400,
    field: 'limit',
  },
  {
    name: 'an unknown status on GET /plans',
    request: () => api().get('/plans?status=sleeping').set('Authorization', coordinator),
    status: 400,
    field: 'status',
  },
  {
    name: 'overdue=maybe on GET /plans',
    request: () => api().get('/plans?overdue=maybe').set('Authorization', coordinator),
    status: 400,
    field: 'overdue',
  },
  {
    name: 'an unknown query parameter on GET /plans',
    request: () => api().get('/plans?colour=red').set('Authorization', coordinator),
    status: 400,
    field: 'colour',
  },
  {
    name: 'a negative offset on an audit log',
    request: () => api().get(`${PLAN}/audit?offset=-1`).set('Authorization', coordinator),
    status: 400,
    field: 'offset',
  },
];

describe('bad input over HTTP', () => {
  beforeAll(async () => {
    await api()
      .post('/congresses')
      .set('Authorization', coordinator)
      .send({ congress: provincialCongress(CONGRESS, startDate), plans: [propagandaPlan()] })
      .expect(201);
    await eventually(async () => ((await api().get(PLAN).set('Authorization', coordinator)).ok ? true : undefined));
    // The plan approved by quorum (an approval no longer pending), TT-03 done, and TT-01's result half-decided.
    ids.planApproval = (
      await api().post(`${PLAN}/submit`).set('Authorization', coordinator).expect(200)
    ).body.approvalId;
    for (const id of ['btv-1', 'btv-2']) {
      await api()
        .post(`/approvals/${CONGRESS}/BPTT/${ids.planApproval}/decision`)
        .set('Authorization', approver(id))
        .send({ decision: 'approve' })
        .expect(200);
    }
    await api().post(`${PLAN}/tasks/TT-03/complete`).set('Authorization', coordinator).send({}).expect(200);
    const completed = await api().post(`${PLAN}/tasks/TT-01/complete`).set('Authorization', coordinator).send({});
    expect(completed.body.status).toBe('awaiting_approval');
    ids.pendingApproval = completed.body.approvalId;
    await api()
      .post(`/approvals/${CONGRESS}/BPTT/${ids.pendingApproval}/decision`)
      .set('Authorization', approver('btv-1'))
      .send({ decision: 'approve' })
      .expect(200);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const response = await c.request();
    expect(response.status).toBe(c.status);
    expect(response.type).toBe('application/json');
    expect(response.headers['x-request-id']).toBeTruthy();
    expect(response.body).toMatchObject({ statusCode: c.status, requestId: response.headers['x-request-id'] });
    expect(typeof response.body.code).toBe('string');
    const message = ([] as string[]).concat(response.body.message).join('\n');
    if (c.field !== undefined) {
      const paths = (response.body.issues ?? []).map((i: { path: string }) => i.path);
      expect(paths).toContain(c.field);
      expect(message).toContain(`${c.field}:`);
    }
    if (c.mentions) expect(message).toMatch(c.mentions);
  });

  it('changes nothing when refused: no comment, progress or completion slipped through', async () => {
    const view = await api().get(PLAN).set('Authorization', coordinator).expect(200);
    expect(view.body.comments).toEqual([]);
    const statuses = Object.fromEntries(view.body.tasks.map((t: { id: string; status: string }) => [t.id, t.status]));
    expect(statuses).toMatchObject({ 'TT-01': 'awaiting_approval', 'TT-03': 'done', 'TT-04': 'open' });
    expect(view.body.tasks.map((t: { id: string }) => t.id)).not.toContain('TT-20');
    expect(view.body.congress.startDate).toBe(startDate);
    const pending = await api().get(`${PLAN}/approvals`).set('Authorization', coordinator).expect(200);
    expect(pending.body.find((a: { id: string }) => a.id === ids.pendingApproval).decisions).toHaveLength(1);
    await api().get('/congresses/dh-badinput-never').set('Authorization', coordinator).expect(404);
  });

  it('rate-limits a client over THROTTLE_LIMIT with 429, on an API of its own', async () => {
    const port = await freePort();
    const child = startNodeProcess(
      'apps/api/main.js',
      {
        TEMPORAL_ADDRESS: process.env.TMINUS_E2E_TEMPORAL_ADDRESS!,
        PORT: String(port),
        HOST: '127.0.0.1',
        JWT_SECRET: E2E_JWT_SECRET,
        THROTTLE_LIMIT: '3',
        THROTTLE_TTL_MS: '60000',
        LOG_LEVEL: 'silent',
      },
      path.join(process.env.TMINUS_E2E_DIR!, 'api-throttled.log'),
    );
    try {
      const base = `http://127.0.0.1:${port}`;
      await waitForHttp(`${base}/health`, 30_000); // /health is not throttled
      const statuses: number[] = [];
      let last: Response | undefined;
      for (let i = 0; i < 4; i++) {
        last = await fetch(`${base}${PLAN}`, { headers: { authorization: coordinator } });
        statuses.push(last.status);
        if (i < 3) await last.arrayBuffer();
      }
      expect(statuses).toEqual([200, 200, 200, 429]);
      expect(last!.headers.get('content-type')).toMatch(/application\/json/);
      expect(last!.headers.get('retry-after')).toMatch(/^\d+$/);
      const body = (await last!.json()) as { statusCode: number; code: string };
      expect(body).toMatchObject({ statusCode: 429, code: 'RATE_LIMITED' });
    } finally {
      await stopProcess(child);
    }
  });
});
