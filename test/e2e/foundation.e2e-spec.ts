/**
 * The first vertical slice, over real HTTP to the built API and worker processes on a real dev server:
 * start a unit plan with a few tasks, complete a task, read the plan's state, see it listed by its
 * search attributes; /health both ways.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { api, bearer, eventually } from './client';
import { freePort, startNodeProcess, waitForHttp, E2E_JWT_SECRET } from './stack';
import { stopProcess } from '../../scripts/dev-server';
import { addCalendarDays, localDateOf, provincialCongress, type UnitPlanDefinition } from '../../libs/domain';

const coordinator = bearer('vptu-tt1', ['coordinator']);

function smallPlan(): UnitPlanDefinition {
  return {
    unitCode: 'BPYT',
    unitName: 'Bộ phận y tế',
    unitLead: 'ngtu',
    agencies: [{ code: 'SYT', name: 'Sở Y tế', head: 'ngtu' }],
    groups: [{ id: 'y-te', name: 'Chăm sóc sức khỏe đại biểu' }],
    tasks: [
      { id: 'YT-01', title: 'Lập phương án y tế', group: 'y-te', phase: 'before', leadAgency: 'SYT', due: 'T-30d' },
      {
        id: 'YT-02',
        title: 'Bố trí trạm y tế tại hội trường',
        group: 'y-te',
        phase: 'before',
        leadAgency: 'SYT',
        due: 'T-2d',
        dependsOn: ['YT-01'],
      },
      {
        id: 'YT-03',
        title: 'Trực y tế các ngày Đại hội',
        group: 'y-te',
        phase: 'during',
        leadAgency: 'SYT',
        due: 'T+0d@07:00',
      },
    ],
    reminders: ['7d', '1d'],
    escalationLadder: [{ after: '0m', notify: ['assignee', 'leadAgencyHead'] }],
    approvalPolicy: { quorum: 'majority', decisionWindow: '5d', planRequiresApproval: false },
    scenarios: [],
    checkInCadence: 'monthly',
  };
}

describe('foundation slice over HTTP', () => {
  const congress = provincialCongress(
    'dh-foundation',
    addCalendarDays(localDateOf(Date.now(), 'Asia/Ho_Chi_Minh'), 90),
  );

  it('reports itself and its Temporal connection healthy', async () => {
    const response = await api().get('/health').expect(200);
    expect(response.body.info.temporal.status).toBe('up');
  });

  it('starts a plan, completes a task and reads the new state', async () => {
    const created = await api()
      .post('/congresses')
      .set('Authorization', coordinator)
      .send({ congress, plans: [smallPlan()] })
      .expect(201);
    expect(created.body.plans[0].workflowId).toBe('plan/dh-foundation/BPYT');
    expect(created.body.plans[0].links.temporalUi).toContain('plan%2Fdh-foundation%2FBPYT');

    const view = await eventually(async () => {
      const r = await api().get('/plans/dh-foundation/BPYT').set('Authorization', coordinator);
      return r.status === 200 ? r.body : undefined;
    });
    expect(view.status).toBe('active');
    expect(view.tasks.map((t: { id: string; status: string }) => [t.id, t.status])).toEqual([
      ['YT-01', 'open'],
      ['YT-02', 'blocked'],
      ['YT-03', 'open'],
    ]);

    const done = await api()
      .post('/plans/dh-foundation/BPYT/tasks/YT-01/complete')
      .set('Authorization', coordinator)
      .set('X-Request-Id', 'e2e-trace-yt01')
      .send({ note: 'Đã trình phương án' })
      .expect(200);
    expect(done.body).toEqual({ ok: true, taskId: 'YT-01', status: 'done' });
    expect(done.headers['x-request-id']).toBe('e2e-trace-yt01');
    // The request id reached the workflow, in a Temporal header: the worker logged the update with it.
    await eventually(
      async () => {
        const log = readFileSync(path.join(process.env.TMINUS_E2E_DIR!, 'worker.log'), 'utf8');
        return log.includes('e2e-trace-yt01') ? true : undefined;
      },
      20_000,
      'the request id in the worker log',
    );

    const after = await api().get('/plans/dh-foundation/BPYT').set('Authorization', coordinator).expect(200);
    const statuses = Object.fromEntries(after.body.tasks.map((t: { id: string; status: string }) => [t.id, t.status]));
    expect(statuses).toEqual({ 'YT-01': 'done', 'YT-02': 'open', 'YT-03': 'open' });
    expect(after.body.summary.done).toBe(1);
    // Every read of the plan links to its workflow in the Temporal UI.
    for (const read of ['', '/timeline', '/escalations', '/audit']) {
      const r = await api().get(`/plans/dh-foundation/BPYT${read}`).set('Authorization', coordinator).expect(200);
      expect(r.headers.link).toBe(
        '<http://localhost:8233/namespaces/default/workflows/plan%2Fdh-foundation%2FBPYT>; rel="temporal-ui"',
      );
    }

    // Listed through visibility, by the search attributes the workflow keeps up to date.
    const listed = await eventually(async () => {
      const r = await api().get('/plans?congress=dh-foundation').set('Authorization', coordinator).expect(200);
      return r.body.items.length === 1 && r.body.items[0].status === 'active' ? r.body.items : undefined;
    });
    expect(listed[0]).toMatchObject({
      workflowId: 'plan/dh-foundation/BPYT',
      unitCode: 'BPYT',
      overdueCount: 0,
      running: true,
    });
  });

  it('publishes an OpenAPI document where every route has its success and error answers', async () => {
    const doc = (await api().get('/docs/openapi.json').expect(200)).body as {
      paths: Record<string, Record<string, { responses: Record<string, unknown>; security?: unknown[] }>>;
    };
    const operations = Object.entries(doc.paths).flatMap(([route, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ route, method, codes: Object.keys(op.responses), op })),
    );
    expect(operations.length).toBeGreaterThan(30);
    for (const { route, method, codes, op } of operations) {
      const where = `${method.toUpperCase()} ${route}`;
      expect([where, codes.some((c) => c.startsWith('2'))]).toEqual([where, true]);
      // Public: /health, and calendar feeds, whose signed link is the credential (no bearer token).
      if (route === '/health' || route === '/feeds/{token}/calendar.ics') continue;
      expect([where, codes]).toEqual([where, expect.arrayContaining(['401', '403', '503'])]);
      expect([where, op.security?.length]).toEqual([where, 1]);
      // A command may conflict with the state (409); a dry run (validate, simulate) changes nothing.
      const changes = method !== 'get' && !(op as { 'x-dry-run'?: boolean })['x-dry-run'];
      if (changes) expect([where, codes]).toEqual([where, expect.arrayContaining(['400', '409', '413'])]);
      if (method !== 'get') expect([where, codes]).toEqual([where, expect.arrayContaining(['400', '413'])]);
    }
  });

  it('answers 503 with a reason, and Retry-After on commands, when Temporal is unreachable', async () => {
    const port = await freePort();
    const deadTemporal = `127.0.0.1:${await freePort()}`;
    const child = startNodeProcess(
      'apps/api/main.js',
      {
        TEMPORAL_ADDRESS: deadTemporal,
        PORT: String(port),
        HOST: '127.0.0.1',
        JWT_SECRET: E2E_JWT_SECRET,
        LOG_LEVEL: 'silent',
      },
      path.join(process.env.TMINUS_E2E_DIR!, 'api-unreachable.log'),
    );
    try {
      const base = `http://127.0.0.1:${port}`;
      await waitForHttp(`${base}/health`, 30_000, false);
      const health = await fetch(`${base}/health`);
      expect(health.status).toBe(503);
      const body = (await health.json()) as { error: { temporal: { status: string; reason: string } } };
      expect(body.error.temporal.status).toBe('down');
      expect(body.error.temporal.reason).toBeTruthy();
      const read = await fetch(`${base}/plans/dh-foundation/BPYT`, { headers: { authorization: coordinator } });
      expect(read.status).toBe(503);
      expect(read.headers.get('retry-after')).toBe('5');
    } finally {
      await stopProcess(child);
    }
  });
});
