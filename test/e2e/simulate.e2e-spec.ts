/**
 * The authoring tools over HTTP (issue 9 item 6): POST /congresses/simulate runs a congress's plans on a
 * virtual clock and tells what would happen in Vietnamese, in the congress's local time; POST
 * /congresses/validate is a dry run of creation; GET /templates/:id/simulate simulates a shipped template. None
 * of them starts a workflow.
 */
import { api, bearer } from './client';
import { addCalendarDays, localDateOf } from '../../libs/domain';
import { localTimeText } from '../../libs/formats/simulation-text';
import { instantiateTemplate, loadTemplates } from '../../libs/templates';

const TZ = 'Asia/Ho_Chi_Minh';
const coordinator = bearer('vptu-tt1', ['coordinator']);
const viewer = bearer('xem-1', ['viewer']);
const approver = bearer('btv-1', ['approver']);
const CONGRESS = 'dh-mo-phong-e2e';
const congressDay = addCalendarDays(localDateOf(Date.now(), TZ), 200);
const province = loadTemplates().find((t) => t.id === 'province')!;

interface Event {
  at: string;
  local: string;
  unitCode: string;
  kind: string;
  text: string;
}
interface Simulation {
  congressId: string;
  start: string;
  events: Event[];
  plans: Array<{ unitCode: string; unitName: string; closesAt: string | null; status: string }>;
  neverDone: string[];
}

/** The province template as POST /congresses takes it: a congress and its plans. */
function provinceBody(startDate = congressDay) {
  const { congress, plans } = instantiateTemplate(province, { id: CONGRESS, startDate });
  return { congress, plans };
}

async function simulate(extra: object = {}): Promise<Simulation> {
  const response = await api()
    .post('/congresses/simulate')
    .set('Authorization', coordinator)
    .send({ ...provinceBody(), ...extra });
  expect([response.status, response.body.message]).toEqual([200, undefined]);
  return response.body;
}

/** The highest escalation level any notice reached (`[Quá hạn]` is 1, `[Báo cáo vượt cấp n]` is n). */
function highestEscalation(events: Event[]): number {
  return Math.max(
    0,
    ...events.map((e) =>
      e.text.startsWith('[Quá hạn] ') ? 1 : Number(/^\[Báo cáo vượt cấp (\d+)\]/.exec(e.text)?.[1] ?? 0),
    ),
  );
}

const personName = (id: string) => {
  const c = province.congress.people;
  const everyone = [c.head, ...c.deputyHeads, ...c.standingSection, ...c.standingCommittee];
  return (
    everyone.find((p) => p.id === id)?.name ??
    province.plans.flatMap((p) => p.people ?? []).find((p) => p.id === id)?.name
  );
};

describe('simulation and validation over HTTP', () => {
  it('GET /templates/province/simulate: reminders, check-ins, approvals and the closing, in Vietnamese local time', async () => {
    const started = Date.now();
    const { body } = await api()
      .get(`/templates/province/simulate?congressDay=${congressDay}`)
      .set('Authorization', viewer)
      .expect(200);
    const result = body as Simulation;
    expect(result.congressId).toBe('mo-phong-province');
    expect(result.plans.map((p) => p.unitCode)).toEqual(province.plans.map((p) => p.unitCode));
    for (const plan of result.plans) {
      expect(plan.status).toBe('closed');
      expect(plan.closesAt).not.toBeNull();
      expect(localDateOf(Date.parse(plan.closesAt!), TZ) > congressDay).toBe(true);
    }
    expect(result.neverDone).toEqual([]);
    for (const event of result.events) {
      // Local time: the instant in Asia/Ho_Chi_Minh, dd/mm/yyyy HH:mm.
      expect(event.local).toBe(localTimeText(Date.parse(event.at), { timeZone: TZ }));
    }
    const times = result.events.map((e) => Date.parse(e.at));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    const bptt = result.events.filter((e) => e.unitCode === 'BPTT');
    expect(bptt.find((e) => e.text.startsWith('[Nhắc việc] '))?.text).toMatch(/ → gửi .+/);
    expect(bptt.some((e) => e.kind === 'effect' && e.text === 'Giao ban: ghi báo cáo tiến độ')).toBe(true);
    expect(bptt.some((e) => e.kind === 'approved' && e.text.startsWith('Đã cho ý kiến đồng ý: '))).toBe(true);
    expect(bptt.some((e) => e.kind === 'completed' && e.text.endsWith('(đúng hạn)'))).toBe(true);
    const closing = bptt.find((e) => e.text === 'Kết thúc kế hoạch: ghi báo cáo tổng kết')!;
    expect(closing.local).toMatch(/^\d\d\/\d\d\/\d{4} \d\d:\d\d$/);
    expect(Date.parse(closing.at)).toBe(Date.parse(result.plans.find((p) => p.unitCode === 'BPTT')!.closesAt!));
    // On time: no task is overdue.
    expect(highestEscalation(result.events)).toBe(0);
    console.log(`GET /templates/province/simulate: ${result.events.length} events in ${Date.now() - started} ms`);
  });

  it('POST /congresses/simulate with lateDays: overdue notices and escalations naming people, climbing further when later', async () => {
    const three = await simulate({ lateDays: 3 });
    const lead = personName(province.plans.find((p) => p.unitCode === 'BPTT')!.unitLead)!;
    const toLead = three.events.find((e) => e.unitCode === 'BPTT' && e.text.startsWith('[Báo cáo vượt cấp 2] '));
    expect(toLead?.text).toContain(`→ gửi ${lead}`);
    expect(three.events.some((e) => e.kind === 'completed' && e.text.endsWith('(trễ 3 ngày)'))).toBe(true);
    expect(highestEscalation(three.events)).toBeGreaterThanOrEqual(2);

    const ten = await simulate({ lateDays: 10 });
    const head = province.congress.people.head.name;
    expect(highestEscalation(ten.events)).toBe(4); // the head, the ladder's last step
    expect(highestEscalation(ten.events)).toBeGreaterThan(highestEscalation(three.events));
    expect(ten.events.find((e) => e.text.startsWith('[Báo cáo vượt cấp 4] '))?.text).toContain(head);
    expect(ten.events.some((e) => e.kind === 'completed' && e.text.endsWith('(trễ 10 ngày)'))).toBe(true);
  });

  it('a scenario requested at a local moment: the request by the unit lead and the contingency notice', async () => {
    const day = addCalendarDays(congressDay, -20);
    const result = await simulate({
      scenarios: [{ code: 'epidemic', at: `${day}T09:30` }],
      start: addCalendarDays(congressDay, -150),
    });
    const local = `${day.slice(8, 10)}/${day.slice(5, 7)}/${day.slice(0, 4)} 09:30`;
    const requests = result.events.filter((e) => e.kind === 'scenario-requested');
    expect(requests.length).toBeGreaterThan(0);
    for (const request of requests) {
      expect(request.local).toBe(local);
      expect(request.text).toMatch(/^Đề nghị kích hoạt phương án dự phòng "Kịch bản phục vụ Đại hội khi có dịch/);
    }
    expect(result.events.some((e) => e.local === local && e.text.startsWith('[Phương án dự phòng] '))).toBe(true);
    expect(result.start).toBe(new Date(Date.parse(`${addCalendarDays(congressDay, -150)}T01:00:00Z`)).toISOString());
  });

  it('refuses bad options with 400 naming each: an unknown scenario, a bad moment, lateDays over 60, a start too early', async () => {
    const response = await api()
      .post('/congresses/simulate')
      .set('Authorization', coordinator)
      .send({
        ...provinceBody(),
        lateDays: 61,
        scenarios: [{ code: 'epidemic', at: `${congressDay}T25:00` }],
      })
      .expect(400);
    expect(response.body.issues.map((i: { path: string }) => i.path).sort()).toEqual(['lateDays', 'scenarios[0].at']);
    const unknown = await api()
      .post('/congresses/simulate')
      .set('Authorization', coordinator)
      .send({
        ...provinceBody(),
        scenarios: [
          { code: 'epidemic', at: congressDay },
          { code: 'flood', at: congressDay },
        ],
        start: '2000-01-01',
      })
      .expect(400);
    expect(unknown.body.issues.map((i: { path: string }) => i.path).sort()).toEqual(['scenarios[1].code', 'start']);
    expect(unknown.body.message.join('\n')).toContain('no plan has a scenario "flood"');
  });

  it('a congress day in the past is a 400 on congress.startDate, as creation answers', async () => {
    const past = addCalendarDays(localDateOf(Date.now(), TZ), -3);
    const response = await api()
      .post('/congresses/simulate')
      .set('Authorization', coordinator)
      .send(provinceBody(past))
      .expect(400);
    expect(response.body.issues.map((i: { path: string }) => i.path)).toContain('congress.startDate');
  });

  it('POST /congresses/validate: ok with the counts for a good body, 400 with every path for a bad one', async () => {
    const good = provinceBody();
    const ok = await api().post('/congresses/validate').set('Authorization', viewer).send(good).expect(200);
    expect(ok.body).toEqual({
      ok: true,
      plans: good.plans.length,
      tasks: good.plans.reduce((n, p) => n + p.tasks.length, 0),
      scenarios: good.plans.reduce((n, p) => n + p.scenarios.length, 0),
    });

    const bad = provinceBody();
    bad.plans[0].tasks[2].due = 'sometime soon';
    bad.plans[1].tasks[0].dependsOn = ['NO-SUCH-TASK'];
    const refused = await api().post('/congresses/validate').set('Authorization', coordinator).send(bad).expect(400);
    const paths = refused.body.issues.map((i: { path: string }) => i.path);
    expect(paths).toContain('plans[0].tasks[2].due');
    expect(paths.some((p: string) => p.startsWith('plans[1].tasks[0].dependsOn'))).toBe(true);

    const shape = await api()
      .post('/congresses/validate')
      .set('Authorization', coordinator)
      .send({ ...good, congress: { ...good.congress, level: 'galaxy' }, plans: [{ ...good.plans[0], tasks: 'many' }] })
      .expect(400);
    expect(shape.body.issues.map((i: { path: string }) => i.path)).toEqual(
      expect.arrayContaining(['congress.level', 'plans[0].tasks']),
    );
  });

  it('simulate and validate start no workflow', async () => {
    await simulate();
    await api().post('/congresses/validate').set('Authorization', coordinator).send(provinceBody()).expect(200);
    await api().get(`/congresses/${CONGRESS}`).set('Authorization', coordinator).expect(404);
    for (const unit of province.plans.map((p) => p.unitCode)) {
      await api().get(`/plans/${CONGRESS}/${unit}`).set('Authorization', coordinator).expect(404);
    }
    const list = await api().get(`/plans?congress=${CONGRESS}`).set('Authorization', coordinator).expect(200);
    expect(list.body.items).toEqual([]);
    await api().get('/congresses/mo-phong-province').set('Authorization', coordinator).expect(404);
  });

  it('GET /templates/:id/simulate: 400 naming congressDay when missing, bad or past; 404 for an unknown template', async () => {
    for (const query of ['', '?congressDay=2027-02-30', '?congressDay=tomorrow', `?congressDay=2020-01-01`]) {
      const response = await api().get(`/templates/province/simulate${query}`).set('Authorization', viewer).expect(400);
      expect(response.body.issues.map((i: { path: string }) => i.path)).toContain('congressDay');
    }
    const late = await api()
      .get(`/templates/province/simulate?congressDay=${congressDay}&lateDays=-1`)
      .set('Authorization', viewer)
      .expect(400);
    expect(late.body.issues.map((i: { path: string }) => i.path)).toEqual(['lateDays']);
    const unknown = await api()
      .get(`/templates/no-such-template/simulate?congressDay=${congressDay}`)
      .set('Authorization', viewer)
      .expect(404);
    expect(unknown.body).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
  });

  it('simulating the national template (145 tasks, 12 plans) answers within a few seconds', async () => {
    const started = Date.now();
    const { body } = await api()
      .get(`/templates/national/simulate?congressDay=${congressDay}&lateDays=10`)
      .set('Authorization', approver)
      .expect(200);
    const ms = Date.now() - started;
    console.log(`GET /templates/national/simulate?lateDays=10: ${body.events.length} events in ${ms} ms`);
    expect(body.plans).toHaveLength(12);
    expect(body.plans.every((p: { status: string }) => p.status === 'closed')).toBe(true);
    expect(ms).toBeLessThan(10_000);
  });

  it('refuses more tasks than it simulates (400 naming plans): the national template twice over', async () => {
    const national = loadTemplates().find((t) => t.id === 'national')!;
    const { congress, plans } = instantiateTemplate(national, { id: CONGRESS, startDate: congressDay });
    const twice = [...plans, ...plans.map((p) => ({ ...structuredClone(p), unitCode: `${p.unitCode}-B` }))];
    const response = await api()
      .post('/congresses/simulate')
      .set('Authorization', coordinator)
      .send({ congress, plans: twice })
      .expect(400);
    expect(response.body.issues).toEqual([{ path: 'plans', message: expect.stringMatching(/at most 250 tasks/) }]);
  });

  it('authorization: no token 401; an approver may not POST (403); a viewer may', async () => {
    await api().post('/congresses/simulate').send(provinceBody()).expect(401);
    await api().post('/congresses/validate').send(provinceBody()).expect(401);
    await api().get(`/templates/province/simulate?congressDay=${congressDay}`).expect(401);
    for (const path of ['/congresses/simulate', '/congresses/validate']) {
      const refused = await api().post(path).set('Authorization', approver).send(provinceBody()).expect(403);
      expect(refused.body).toMatchObject({ statusCode: 403, code: 'FORBIDDEN' });
      await api().post(path).set('Authorization', viewer).send(provinceBody()).expect(200);
    }
  });

  it('is documented in the OpenAPI document', async () => {
    const doc = await api().get('/docs/openapi.json').expect(200);
    expect(
      doc.body.paths['/congresses/simulate'].post.responses['200'].content['application/json'].schema,
    ).toMatchObject({
      required: expect.arrayContaining(['events', 'plans', 'neverDone']),
    });
    expect(doc.body.paths['/congresses/validate'].post.responses['400']).toBeDefined();
    expect(doc.body.paths['/templates/{templateId}/simulate'].get.responses['404']).toBeDefined();
  });
});
