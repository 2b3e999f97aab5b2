/**
 * Congress templates over HTTP (issue 9 item 1): GET /templates lists every template file the API was shipped
 * with, from-template makes a congress from each of them with its plans running, and its overrides (number,
 * term, name, people) reach the congress, while a bad one is a 400 naming the field that creates nothing.
 */
import { readdirSync } from 'node:fs';
import { api, bearer } from './client';
import { addCalendarDays, localDateOf } from '../../libs/domain';
import { congressName, loadTemplates, templatesDir } from '../../libs/templates';

const TZ = 'Asia/Ho_Chi_Minh';
const coordinator = bearer('vptu-tt1', ['coordinator']);
const viewer = bearer('xem-1', ['viewer']);
const today = () => localDateOf(Date.now(), TZ);

// The folder itself, not a count written here: other templates may join it.
const FILES = readdirSync(templatesDir())
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => f.replace(/\.yaml$/, ''))
  .sort();
const TEMPLATES = new Map(loadTemplates().map((t) => [t.id, t]));

interface UnitSummary {
  unitCode: string;
  taskCount: number;
  groupCount: number;
  scenarios: Array<{ code: string; name: string }>;
}
interface TemplateSummary {
  id: string;
  level: string;
  title: string;
  congress: { name: string; number: string; days: number; people: Array<{ id: string; role: string }> };
  units: UnitSummary[];
}

async function listed(): Promise<TemplateSummary[]> {
  return (await api().get('/templates').set('Authorization', viewer).expect(200)).body;
}

describe('congress templates, over HTTP', () => {
  it('GET /templates lists every template file in libs/templates/data, with its units', async () => {
    const templates = await listed();
    expect(templates.map((t) => t.id).sort()).toEqual(FILES);
    for (const summary of templates) {
      const template = TEMPLATES.get(summary.id)!;
      expect(summary).toMatchObject({
        level: template.level,
        title: template.title,
        congress: { name: template.congress.name, number: template.congress.number, days: template.congress.days },
      });
      expect(summary.units.map((u) => [u.unitCode, u.taskCount, u.groupCount, u.scenarios.map((s) => s.code)])).toEqual(
        template.plans.map((p) => [p.unitCode, p.tasks.length, p.groups.length, p.scenarios.map((s) => s.code)]),
      );
    }
  });

  it('is documented in the OpenAPI document', async () => {
    const doc = await api().get('/docs/openapi.json').expect(200);
    expect(doc.body.paths['/templates'].get.responses['200']).toBeDefined();
    const body = doc.body.paths['/congresses/from-template'].post.requestBody.content['application/json'].schema;
    const dto = doc.body.components.schemas[String(body.$ref).split('/').pop()!];
    expect(Object.keys(dto.properties)).toEqual(
      expect.arrayContaining(['template', 'id', 'startDate', 'endDate', 'name', 'number', 'term', 'people']),
    );
  });

  it.each(FILES)(
    'from-template "%s": the congress has every unit running, the number and term in its name, a changed email',
    async (id) => {
      const summary = (await listed()).find((t) => t.id === id)!;
      const template = TEMPLATES.get(id)!;
      const startDate = addCalendarDays(today(), 100);
      const congressId = `dh-tpl-${id}`
        .toLowerCase()
        .replace(/[^a-z0-9-]/g, '-')
        .slice(0, 63);
      // The head's id as GET /templates lists it: what a coordinator reads before naming them.
      const head = summary.congress.people.find((p) => p.role === 'head')!.id;
      expect(head).toBe(template.congress.people.head.id);
      const email = `truong-tieu-ban.${id}@example.vn`;
      const created = await api()
        .post('/congresses/from-template')
        .set('Authorization', coordinator)
        .send({
          template: id,
          id: congressId,
          startDate,
          number: 'XXV',
          term: '2041-2046',
          people: [{ id: head, email }],
        })
        .expect(201);
      const units = summary.units.map((u) => u.unitCode);
      expect(created.body.plans.map((p: { unitCode: string }) => p.unitCode)).toEqual(units);

      const view = await api().get(`/congresses/${congressId}`).set('Authorization', coordinator).expect(200);
      expect(view.body.congress).toMatchObject({
        name: congressName(summary.congress.name, { number: 'XXV', term: '2041-2046' }),
        level: summary.level,
        startDate,
        endDate: addCalendarDays(startDate, summary.congress.days - 1),
      });
      // A pattern may leave the term out (a national congress is named by its number alone).
      if (summary.congress.name.includes('{number}')) expect(view.body.congress.name).toContain('XXV');
      if (summary.congress.name.includes('{term}')) expect(view.body.congress.name).toContain('2041-2046');
      expect(view.body.congress.name).not.toMatch(/[{}]/);
      expect(view.body.congress.people.head).toMatchObject({ id: head, email });
      expect([...view.body.units].sort()).toEqual([...units].sort());
      // The congress answers once its plans exist: each unit's plan answers at once.
      for (const unit of units) {
        const plan = await api().get(`/plans/${congressId}/${unit}`).set('Authorization', coordinator);
        expect([unit, plan.status]).toEqual([unit, 200]);
        const tasks = summary.units.find((u) => u.unitCode === unit)!.taskCount;
        expect([unit, plan.body.tasks.length]).toEqual([unit, tasks]);
      }
    },
  );

  it('the old name provincial still makes a province congress; a whole name and an end date override the template', async () => {
    const startDate = addCalendarDays(today(), 110);
    const name = 'Đại hội đại biểu Đảng bộ tỉnh lần thứ XXI (họp riêng)';
    await api()
      .post('/congresses/from-template')
      .set('Authorization', coordinator)
      .send({ template: 'provincial', id: 'dh-tpl-alias', startDate, endDate: startDate, name })
      .expect(201);
    const view = await api().get('/congresses/dh-tpl-alias').set('Authorization', coordinator).expect(200);
    expect(view.body.congress).toMatchObject({ name, level: 'province', startDate, endDate: startDate });
  });

  describe('a bad override is a 400 naming the field, and creates nothing', () => {
    const startDate = addCalendarDays(today(), 120);
    const head = TEMPLATES.get(FILES[0])!.congress.people.head.id;
    it.each([
      ['unknown template', { template: 'xa' }, 'template'],
      ['number not a roman numeral', { number: '21' }, 'number'],
      ['term backwards', { term: '2035-2030' }, 'term'],
      ['term not two years', { term: '2030' }, 'term'],
      ['unknown person', { people: [{ id: head, name: 'Người mới' }, { id: 'khong-co-ai' }] }, 'people[1].id'],
      ['bad email', { people: [{ id: head, email: 'not-an-email' }] }, 'people[0].email'],
      ['end before start', { endDate: addCalendarDays(startDate, -1) }, 'endDate'],
    ])('%s', async (label, override, field) => {
      const congressId = `dh-tpl-bad-${label.replace(/[^a-z]+/g, '-')}`;
      const response = await api()
        .post('/congresses/from-template')
        .set('Authorization', coordinator)
        .send({ template: FILES[0], id: congressId, startDate, ...override })
        .expect(400);
      expect(response.body.code).toBe('INVALID_INPUT');
      expect(response.body.issues.map((i: { path: string }) => i.path)).toEqual([field]);
      await api().get(`/congresses/${congressId}`).set('Authorization', coordinator).expect(404);
    });

    it('the unknown template answer lists the known ids', async () => {
      const response = await api()
        .post('/congresses/from-template')
        .set('Authorization', coordinator)
        .send({ template: 'xa', id: 'dh-tpl-bad-list', startDate })
        .expect(400);
      for (const id of [...FILES, 'provincial']) expect(response.body.issues[0].message).toContain(id);
    });
  });
});
