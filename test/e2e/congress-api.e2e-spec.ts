/**
 * The congress routes over HTTP (issue 7 items 4 and 5, issue 9 item 9): a congress answers only once its
 * plans exist, a past start date is refused, a move of congress day can be previewed and needs a confirmation
 * when it would close plans, and one idempotency policy holds for congress and plan routes alike.
 */
import { api, bearer, eventually } from './client';
import {
  addCalendarDays,
  localDateOf,
  logisticsPlan,
  propagandaPlan,
  provincialCongress,
  securityPlan,
} from '../../libs/domain';

const TZ = 'Asia/Ho_Chi_Minh';
const coordinator = bearer('vptu-tt1', ['coordinator']);
const today = () => localDateOf(Date.now(), TZ);

describe('congress routes, over HTTP', () => {
  it("from-template answers once its plans exist: the README's second command works at once", async () => {
    const created = await api()
      .post('/congresses/from-template')
      .set('Authorization', coordinator)
      .send({ template: 'provincial', id: 'dh-api-template', startDate: addCalendarDays(today(), 90) })
      .expect(201);
    expect(created.body.plans.map((p: { unitCode: string }) => p.unitCode)).toEqual(['BPTT', 'BPHC', 'BPANTT']);
    // No polling: each plan answers the very next request.
    for (const unit of ['BPTT', 'BPHC', 'BPANTT']) {
      const plan = await api().get(`/plans/dh-api-template/${unit}`).set('Authorization', coordinator);
      expect([unit, plan.status]).toEqual([unit, 200]);
    }
  });

  it('POST /congresses answers once its plans exist', async () => {
    const congress = provincialCongress('dh-api-full', addCalendarDays(today(), 90));
    await api()
      .post('/congresses')
      .set('Authorization', coordinator)
      .send({ congress, plans: [propagandaPlan()] })
      .expect(201);
    const plan = await api().get('/plans/dh-api-full/BPTT').set('Authorization', coordinator);
    expect(plan.status).toBe(200);
  });

  it('refuses a plan added later whose dependencies close a circle with a running plan, naming the field', async () => {
    // The propaganda plan waits on a medical task of a unit with no plan yet (allowed: it may be added later).
    const propaganda = propagandaPlan();
    propaganda.tasks[3] = { ...propaganda.tasks[3], dependsOn: ['BPYT:YT-01'] };
    await api()
      .post('/congresses')
      .set('Authorization', coordinator)
      .send({ congress: provincialCongress('dh-api-circle', addCalendarDays(today(), 90)), plans: [propaganda] })
      .expect(201);
    const security = securityPlan();
    const medical = {
      ...security,
      unitCode: 'BPYT',
      unitName: 'Bộ phận y tế',
      scenarios: [],
      tasks: [{ ...security.tasks[0], id: 'YT-01', dependsOn: ['BPTT:TT-04'] }],
    };
    const refused = await api()
      .post('/congresses/dh-api-circle/plans')
      .set('Authorization', coordinator)
      .send({ plan: medical })
      .expect(400);
    expect(refused.body.issues).toEqual([
      {
        path: 'plan.tasks[0].dependsOn',
        message: 'dependency cycle across units: BPTT:TT-04 → BPYT:YT-01 → BPTT:TT-04',
      },
    ]);
    const view = await api().get('/congresses/dh-api-circle').set('Authorization', coordinator).expect(200);
    expect(view.body.units).toEqual(['BPTT']);
    // Without the loop back the same plan is added.
    await api()
      .post('/congresses/dh-api-circle/plans')
      .set('Authorization', coordinator)
      .send({ plan: { ...medical, tasks: [{ ...medical.tasks[0], dependsOn: [] }] } })
      .expect(201);

    // Tasks added to running plans: TT-09 waits on a medical task not written yet; YT-09, waiting on TT-09, would
    // close the circle, and is refused before it reaches the plan.
    const reason = 'Bổ sung theo chỉ đạo của Tiểu ban';
    await api()
      .post('/plans/dh-api-circle/BPTT/tasks')
      .set('Authorization', coordinator)
      .send({ reason, task: { ...propagandaPlan().tasks[3], id: 'TT-09', dependsOn: ['BPYT:YT-09'] } })
      .expect(201);
    const closing = await api()
      .post('/plans/dh-api-circle/BPYT/tasks')
      .set('Authorization', coordinator)
      .send({ reason, task: { ...security.tasks[0], id: 'YT-09', dependsOn: ['BPTT:TT-09'] } })
      .expect(400);
    expect(closing.body.issues).toEqual([
      {
        path: 'task.dependsOn',
        message: expect.stringMatching(/^dependency cycle across units: .*BPYT:YT-09/),
      },
    ]);
    const medicalView = await api().get('/plans/dh-api-circle/BPYT').set('Authorization', coordinator).expect(200);
    expect(medicalView.body.tasks.map((t: { id: string }) => t.id)).toEqual(['YT-01']);
  });

  it('refuses a congress whose start date is past, naming the field', async () => {
    const yesterday = addCalendarDays(today(), -1);
    const full = await api()
      .post('/congresses')
      .set('Authorization', coordinator)
      .send({ congress: provincialCongress('dh-api-past', yesterday), plans: [propagandaPlan()] })
      .expect(400);
    expect(full.body.issues).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'congress.startDate' })]));
    const fromTemplate = await api()
      .post('/congresses/from-template')
      .set('Authorization', coordinator)
      .send({ template: 'provincial', id: 'dh-api-past', startDate: yesterday })
      .expect(400);
    expect(fromTemplate.body.issues).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'startDate' })]));
    await api().get('/congresses/dh-api-past').set('Authorization', coordinator).expect(404);
  });

  it('limits every string of a definition, naming the field (a plan cannot be bloated at creation)', async () => {
    const congress = provincialCongress('dh-api-long', addCalendarDays(today(), 90));
    const response = await api()
      .post('/congresses')
      .set('Authorization', coordinator)
      .send({ congress, plans: [{ ...propagandaPlan(), unitNameEn: 'x'.repeat(5_000) }] })
      .expect(400);
    expect(JSON.stringify(response.body)).toMatch(/unitNameEn/);
    await api().get('/congresses/dh-api-long').set('Authorization', coordinator).expect(404);
  });

  it('answers 409 to a command on a congress that has ended, and 404 still to one that never existed', async () => {
    const congress = provincialCongress('dh-api-ended', addCalendarDays(today(), 90));
    await api()
      .post('/congresses')
      .set('Authorization', coordinator)
      .send({ congress, plans: [propagandaPlan()] })
      .expect(201);
    // Its only plan stops, so the congress writes its summary and ends.
    await api()
      .post('/plans/dh-api-ended/BPTT/stop')
      .set('Authorization', coordinator)
      .send({ reason: 'Dừng để thử' })
      .expect(200);
    const move = { startDate: addCalendarDays(today(), 100), endDate: addCalendarDays(today(), 102), reason: 'Lùi' };
    const ended = await eventually(
      async () => {
        const r = await api().post('/congresses/dh-api-ended/move').set('Authorization', coordinator).send(move);
        // While the congress winds down it still answers.
        return r.status === 200 || r.body.code === 'INVALID_TRANSITION' ? undefined : r;
      },
      60_000,
      'the congress to end',
    );
    expect({ status: ended.status, code: ended.body.code }).toEqual({ status: 409, code: 'CONGRESS_FINISHED' });
    expect(String(ended.body.message)).toMatch(/dh-api-ended.*ended/);
    await api().post('/congresses/dh-api-never/move').set('Authorization', coordinator).send(move).expect(404);
  });

  it('documents example dates that are not in the past', async () => {
    const doc = await api().get('/docs/openapi.json').expect(200);
    const dates = [...JSON.stringify(doc.body).matchAll(/"example":"(\d{4}-\d{2}-\d{2})"/g)].map((m) => m[1]);
    expect(dates.length).toBeGreaterThanOrEqual(5);
    for (const date of dates) expect([date, date >= today()]).toEqual([date, true]);
  });

  describe('one idempotency policy', () => {
    const startDate = addCalendarDays(today(), 120);
    const congress = provincialCongress('dh-api-idem', startDate);

    it('congress creation: the same key and body is a replay; the same key with another body is 409', async () => {
      const key = 'create-dh-api-idem-1';
      const first = await api()
        .post('/congresses')
        .set('Authorization', coordinator)
        .set('Idempotency-Key', key)
        .send({ congress, plans: [propagandaPlan()] })
        .expect(201);
      const again = await api()
        .post('/congresses')
        .set('Authorization', coordinator)
        .set('Idempotency-Key', key)
        .send({ congress, plans: [propagandaPlan()] })
        .expect(201);
      expect(again.body).toEqual({ ...first.body, replayed: true });
      const other = await api()
        .post('/congresses')
        .set('Authorization', coordinator)
        .set('Idempotency-Key', key)
        .send({ congress: { ...congress, name: 'Một đại hội khác' }, plans: [propagandaPlan()] })
        .expect(409);
      expect(String(other.body.message)).toMatch(/Idempotency-Key: already used for a different request/);
      expect(other.body.issues).toEqual([expect.objectContaining({ path: 'Idempotency-Key' })]);
    });

    it('moving congress day: a retry is marked replayed; the same key with other dates is 409 and changes nothing', async () => {
      const key = 'move-dh-api-idem-1';
      const move = {
        startDate: addCalendarDays(startDate, 7),
        endDate: addCalendarDays(congress.endDate, 7),
        reason: 'Ban Thường vụ quyết định lùi một tuần',
      };
      const first = await api()
        .post('/congresses/dh-api-idem/move')
        .set('Authorization', coordinator)
        .set('Idempotency-Key', key)
        .send(move)
        .expect(200);
      expect(first.body.replayed).toBeUndefined();
      const again = await api()
        .post('/congresses/dh-api-idem/move')
        .set('Authorization', coordinator)
        .set('Idempotency-Key', key)
        .send(move)
        .expect(200);
      expect(again.body).toEqual({ ...first.body, replayed: true });
      const other = await api()
        .post('/congresses/dh-api-idem/move')
        .set('Authorization', coordinator)
        .set('Idempotency-Key', key)
        .send({ ...move, startDate: addCalendarDays(startDate, 14), endDate: addCalendarDays(congress.endDate, 14) })
        .expect(409);
      expect(String(other.body.message)).toMatch(/Idempotency-Key: already used for a different request/);
      expect(other.body.issues).toEqual([expect.objectContaining({ path: 'Idempotency-Key' })]);
      const view = await api().get('/congresses/dh-api-idem').set('Authorization', coordinator).expect(200);
      expect(view.body.congress.startDate).toBe(move.startDate);
      expect(view.body.history.filter((h: { action: string }) => h.action === 'congress.moved')).toHaveLength(1);
    });

    it('adding a plan: a retry is marked replayed and starts nothing twice; another plan under the key is 409', async () => {
      const key = 'add-plan-dh-api-idem-1';
      const first = await api()
        .post('/congresses/dh-api-idem/plans')
        .set('Authorization', coordinator)
        .set('Idempotency-Key', key)
        .send({ plan: securityPlan() })
        .expect(201);
      expect(first.body).toEqual({ ok: true, workflowId: 'plan/dh-api-idem/BPANTT' });
      const again = await api()
        .post('/congresses/dh-api-idem/plans')
        .set('Authorization', coordinator)
        .set('Idempotency-Key', key)
        .send({ plan: securityPlan() })
        .expect(201);
      expect(again.body).toEqual({ ...first.body, replayed: true });
      await api()
        .post('/congresses/dh-api-idem/plans')
        .set('Authorization', coordinator)
        .set('Idempotency-Key', key)
        .send({ plan: logisticsPlan() })
        .expect(409);
      const view = await api().get('/congresses/dh-api-idem').set('Authorization', coordinator).expect(200);
      expect(view.body.units).toEqual(['BPTT', 'BPANTT']);
    });

    it('a plan command follows the same policy', async () => {
      const key = 'progress-dh-api-idem-1';
      const url = '/plans/dh-api-idem/BPTT/tasks/TT-01/progress';
      const first = await api()
        .post(url)
        .set('Authorization', coordinator)
        .set('Idempotency-Key', key)
        .send({ progress: 20 })
        .expect(200);
      const again = await api()
        .post(url)
        .set('Authorization', coordinator)
        .set('Idempotency-Key', key)
        .send({ progress: 20 })
        .expect(200);
      expect(again.body).toEqual({ ...first.body, replayed: true });
      await api()
        .post(url)
        .set('Authorization', coordinator)
        .set('Idempotency-Key', key)
        .send({ progress: 40 })
        .expect(409);
    });
  });

  describe('moving congress day with care', () => {
    const startDate = addCalendarDays(today(), 40);
    const congress = provincialCongress('dh-api-move', startDate);
    const past = { startDate: addCalendarDays(today(), -40), endDate: addCalendarDays(today(), -38) };

    beforeAll(async () => {
      await api()
        .post('/congresses')
        .set('Authorization', coordinator)
        .send({ congress, plans: [propagandaPlan()] })
        .expect(201);
    });

    it('previews a move: which tasks become overdue and which plans would close', async () => {
      const soon = { startDate: addCalendarDays(today(), 5), endDate: addCalendarDays(today(), 7) };
      const near = await api()
        .get('/congresses/dh-api-move/congress-day/preview')
        .query(soon)
        .set('Authorization', coordinator)
        .expect(200);
      expect(near.body.closingPlans).toEqual([]);
      const bptt = near.body.plans.find((p: { unitCode: string }) => p.unitCode === 'BPTT');
      // T-30d and T-10wd deadlines fall before today when congress day is five days away (T-90d TT-01 already has).
      expect(bptt.becomeOverdue.map((t: { id: string }) => t.id)).toEqual(expect.arrayContaining(['TT-03', 'TT-04']));
      expect(bptt.becomeOverdue.map((t: { id: string }) => t.id)).not.toContain('TT-01');
      expect(bptt.closes).toBe(false);

      const far = await api()
        .get('/congresses/dh-api-move/congress-day/preview')
        .query(past)
        .set('Authorization', coordinator)
        .expect(200);
      expect(far.body.closingPlans).toEqual(['BPTT']);
      const impossible = await api()
        .get('/congresses/dh-api-move/congress-day/preview')
        .query({ startDate: '2027-02-30', endDate: '2027-03-02' })
        .set('Authorization', bearer('someone', ['viewer']))
        .expect(400);
      expect(JSON.stringify(impossible.body.issues)).toMatch(/startDate/);
      // A preview changes nothing.
      const view = await api().get('/congresses/dh-api-move').set('Authorization', coordinator).expect(200);
      expect(view.body.congress.startDate).toBe(startDate);
    });

    it('a move that would close plans needs confirmClosingPlans', async () => {
      const refused = await api()
        .post('/congresses/dh-api-move/move')
        .set('Authorization', coordinator)
        .send({ ...past, reason: 'Nhập sai ngày' })
        .expect(409);
      expect(String(refused.body.message)).toMatch(/confirmClosingPlans: must be true/);
      expect(refused.body.issues).toEqual([expect.objectContaining({ path: 'confirmClosingPlans' })]);
      const plan = await api().get('/plans/dh-api-move/BPTT').set('Authorization', coordinator).expect(200);
      expect(plan.body.status).not.toBe('closed');

      await api()
        .post('/congresses/dh-api-move/move')
        .set('Authorization', coordinator)
        .send({ ...past, reason: 'Đại hội đã diễn ra', confirmClosingPlans: true })
        .expect(200);
    });
  });
});
