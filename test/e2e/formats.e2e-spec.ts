/**
 * The office's formats over HTTP, against the built API and worker on a real dev server: the report route
 * answering CSV, xlsx and docx by content negotiation, the Gantt picture, an Excel import checked all or
 * nothing and then applied through the plan's addTask, and calendar feed links that follow a change, can be
 * revoked and cannot be forged.
 */
import ExcelJS from 'exceljs';
import ICAL from 'ical.js';
import JSZip from 'jszip';
import type { Response } from 'supertest';
import {
  addCalendarDays,
  localDateOf,
  propagandaPlan,
  provincialCongress,
  type UnitPlanDefinition,
} from '../../libs/domain';
import { api, bearer, eventually, webhookCalls } from './client';

const CONGRESS = 'dh-formats';
const UNIT = 'BPTT';
const PLAN = `/plans/${CONGRESS}/${UNIT}`;
const TZ = 'Asia/Ho_Chi_Minh';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

const coordinator = bearer('vptu-tt1', ['coordinator']);
const viewer = bearer('viewer-1', ['viewer']);
const otherUnit = bearer('viewer-2', ['viewer'], ['BPHC']);

/** supertest keeps binary bodies as Buffers with this parser. */
const binary = (res: Response, done: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};

async function officeSheet(rows: unknown[][]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Nhiệm vụ');
  sheet.addRow(['STT', 'Mã nhiệm vụ', 'Nhóm nhiệm vụ', 'Nội dung nhiệm vụ', 'Cơ quan chủ trì', 'Thời hạn']);
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

function events(ics: string) {
  const calendar = new ICAL.Component(ICAL.parse(ics));
  return calendar.getAllSubcomponents('vevent').map((c) => {
    const e = new ICAL.Event(c);
    return {
      uid: e.uid,
      sequence: e.sequence,
      end: e.endDate.toJSDate().toISOString(),
      alarms: c.getAllSubcomponents('valarm').length,
    };
  });
}

describe('the office’s formats, over HTTP', () => {
  const startDate = addCalendarDays(localDateOf(Date.now(), TZ), 60);
  const plan: UnitPlanDefinition = {
    ...propagandaPlan(),
    approvalPolicy: { quorum: 'majority', decisionWindow: '5d', planRequiresApproval: false },
  };

  beforeAll(async () => {
    await api()
      .post('/congresses')
      .set('Authorization', coordinator)
      .send({ congress: provincialCongress(CONGRESS, startDate), plans: [plan] })
      .expect(201);
    await eventually(async () =>
      (await api().get(PLAN).set('Authorization', viewer)).status === 200 ? true : undefined,
    );
  });

  it('answers the report route in JSON, CSV, xlsx and docx by the Accept header', async () => {
    const json = await api().get(`${PLAN}/report`).set('Authorization', viewer).expect(200);
    expect(json.body).toMatchObject({ unitCode: UNIT, total: 7 });

    const csv = await api().get(`${PLAN}/report`).set('Authorization', viewer).set('Accept', 'text/csv').expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\n');
    expect(lines).toHaveLength(8);
    expect(lines[1]).toContain('Ban Tuyên giáo Tỉnh ủy');
    expect(lines[4]).toContain('TT-04');
    expect(lines[4]).toContain('Chưa đến hạn');

    const xlsx = await api()
      .get(`${PLAN}/report`)
      .set('Authorization', viewer)
      .set('Accept', XLSX)
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect(xlsx.headers['content-type']).toBe(XLSX);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.body as ArrayBuffer);
    expect(workbook.getWorksheet('Nhiệm vụ')!.getCell('B5').value).toBe('TT-01');

    const docx = await api()
      .get(`${PLAN}/report`)
      .set('Authorization', viewer)
      .set('Accept', DOCX)
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect(docx.headers['content-disposition']).toMatch(/attachment; filename="dh-formats-BPTT-bao-cao.docx"/);
    const xml = await (await JSZip.loadAsync(docx.body as Buffer)).file('word/document.xml')!.async('string');
    expect(xml).toContain('ĐẢNG CỘNG SẢN VIỆT NAM');
    expect(xml).toContain('BỘ PHẬN TUYÊN TRUYỀN');
  });

  it('serves the Gantt as SVG, and keeps unit-limited tokens to their units', async () => {
    const svg = await api()
      .get(`${PLAN}/gantt.svg`)
      .set('Authorization', viewer)
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect(svg.headers['content-type']).toMatch(/^image\/svg\+xml/);
    expect((svg.body as Buffer).toString('utf8')).toContain('class="today"');
    await api().get(`${PLAN}/gantt.svg`).set('Authorization', otherUnit).expect(403);
    await api().get(`${PLAN}/tasks.xlsx`).expect(401);
  });

  it('lists the reports the worker filed and refuses names outside the reports folder', async () => {
    const listed = await api().get(`${PLAN}/reports`).set('Authorization', viewer).expect(200);
    expect(Array.isArray(listed.body)).toBe(true);
    await api().get(`${PLAN}/reports/..%2F..%2Fetc%2Fpasswd`).set('Authorization', viewer).expect(404);
    await api().get(`${PLAN}/reports/closing-report.docx`).set('Authorization', viewer).expect(404);
    await api().get(`${PLAN}/reports`).set('Authorization', otherUnit).expect(403);
  });

  it('files a check-in report on demand for an extraordinary meeting, and tells the standing section', async () => {
    await api().post(`${PLAN}/check-ins`).set('Authorization', coordinator).send({}).expect(400);
    await api().post(`${PLAN}/check-ins`).set('Authorization', viewer).send({ reason: 'Họp' }).expect(403);
    const asked = await api()
      .post(`${PLAN}/check-ins`)
      .set('Authorization', coordinator)
      .send({ reason: 'Họp Thường trực Tiểu ban đột xuất' })
      .expect(200);
    expect(asked.body).toMatchObject({ ok: true, status: 'check-in' });
    const filed = await eventually(async () => {
      const listed = await api().get(`${PLAN}/reports`).set('Authorization', viewer).expect(200);
      const checkIns = (listed.body as Array<{ file: string; format: string }>).filter((r) =>
        r.file.startsWith('check-in_'),
      );
      return checkIns.some((r) => r.format === 'docx') ? checkIns : undefined;
    });
    expect(filed.map((r) => r.format)).toEqual(expect.arrayContaining(['docx', 'md', 'json']));
    await eventually(async () => webhookCalls().some((c) => c.body.includes('[Giao ban đột xuất]')) || undefined);
  });

  it('refuses a sheet with problems as a whole, naming sheet, row and column, and adds nothing', async () => {
    const file = await officeSheet([
      [1, 'TT-20', 'Báo chí, truyền thông', 'Tọa đàm về Đại hội', 'Báo tỉnh', 'T-20d'],
      [2, 'TT-21', 'Báo chí, truyền thông', 'Phóng sự', 'Sở Ngoại vụ', 'T-15d'],
      [3, 'TT-01', 'Báo chí, truyền thông', 'Trùng mã', 'Báo tỉnh', 'T-15d'],
    ]);
    const refused = await api()
      .post(`${PLAN}/tasks/import`)
      .set('Authorization', coordinator)
      .attach('file', file, 'nhiem-vu.xlsx')
      .expect(400);
    expect(refused.body.issues.map((i: { message: string }) => i.message)).toEqual([
      'Trang "Nhiệm vụ", dòng 3, cột E (Cơ quan chủ trì): "Sở Ngoại vụ" không phải cơ quan của kế hoạch',
    ]);
    const duplicate = await api()
      .post(`${PLAN}/tasks/import`)
      .set('Authorization', coordinator)
      .attach('file', await officeSheet([[1, 'TT-01', 'bao-chi', 'Trùng mã', 'BAO', 'T-15d']]), 'x.xlsx')
      .expect(400);
    expect(duplicate.body.issues[0].message).toMatch(/^Trang "Nhiệm vụ", dòng 2, cột B \(Mã nhiệm vụ\): /);
    await api().post(`${PLAN}/tasks/import`).set('Authorization', coordinator).expect(400);
    const view = await api().get(PLAN).set('Authorization', viewer).expect(200);
    expect(view.body.tasks).toHaveLength(7);
  });

  it('checks with dryRun, then adds the tasks through addTask; the same file again adds nothing twice', async () => {
    const file = await officeSheet([
      [1, 'TT-20', 'Báo chí, truyền thông', 'Tọa đàm về Đại hội', 'Báo tỉnh', 'T-20d'],
      [2, 'TT-21', 'Cổ động trực quan, trang trí', 'Pa-nô tại trung tâm', 'SVHTTDL', 'after:TT-20+2d'],
    ]);
    const dry = await api()
      .post(`${PLAN}/tasks/import?dryRun=true`)
      .set('Authorization', coordinator)
      .attach('file', file, 'nhiem-vu.xlsx')
      .expect(200);
    expect(dry.body).toMatchObject({
      dryRun: true,
      tasks: [
        { id: 'TT-20', row: 2 },
        { id: 'TT-21', row: 3 },
      ],
    });
    expect((await api().get(PLAN).set('Authorization', viewer)).body.tasks).toHaveLength(7);

    const applied = await api()
      .post(`${PLAN}/tasks/import`)
      .set('Authorization', coordinator)
      .attach('file', file, 'a.xlsx')
      .expect(200);
    expect(applied.body.tasks.map((t: { result: { ok: boolean } }) => t.result.ok)).toEqual([true, true]);
    const again = await api()
      .post(`${PLAN}/tasks/import`)
      .set('Authorization', coordinator)
      .attach('file', file, 'a.xlsx')
      .expect(200);
    expect(again.body.tasks.map((t: { result: { replayed?: boolean } }) => t.result.replayed)).toEqual([true, true]);
    const view = await api().get(PLAN).set('Authorization', viewer).expect(200);
    expect(view.body.tasks.map((t: { id: string }) => t.id)).toEqual([
      'TT-01',
      'TT-02',
      'TT-03',
      'TT-04',
      'TT-05',
      'TT-06',
      'TT-07',
      'TT-20',
      'TT-21',
    ]);
  });

  it('gives calendar feed links that need no bearer token, follow changes, and can be revoked', async () => {
    const minted = await api().post(`${PLAN}/feeds`).set('Authorization', viewer).expect(201);
    expect(minted.body.url).toMatch(/\/feeds\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}\/calendar\.ics$/);
    const feedPath = new URL(minted.body.url as string).pathname;
    const first = await api().get(feedPath).expect(200);
    expect(first.headers['content-type']).toMatch(/^text\/calendar/);
    const before = events(first.text);
    expect(before.find((e) => e.uid === 'congress.dh-formats@tminus')).toBeDefined();
    const tt04 = (list: ReturnType<typeof events>) => list.find((e) => e.uid === 'task.dh-formats.BPTT.TT-04@tminus')!;
    expect(tt04(before).alarms).toBe(2);

    const due = `${addCalendarDays(startDate, -20)}T16:00:00+07:00`;
    await api()
      .post(`${PLAN}/tasks/TT-04/deadline`)
      .set('Authorization', coordinator)
      .send({ due, reason: 'lùi hạn' })
      .expect(200);
    const after = events((await api().get(feedPath).expect(200)).text);
    expect(tt04(after).sequence).toBeGreaterThan(tt04(before).sequence);
    expect(tt04(after).end).toBe(new Date(due).toISOString());
    expect(after.map((e) => e.uid).sort()).toEqual(expect.arrayContaining(before.map((e) => e.uid).sort()));

    const person = await api()
      .post(`/congresses/${CONGRESS}/feeds`)
      .set('Authorization', viewer)
      .send({ kind: 'person', personId: 'ptthang' })
      .expect(201);
    const personEvents = events(
      (
        await api()
          .get(new URL(person.body.url as string).pathname)
          .expect(200)
      ).text,
    );
    expect(personEvents.map((e) => e.uid)).toContain('task.dh-formats.BPTT.TT-01@tminus');
    await api().post(`/congresses/${CONGRESS}/feeds`).set('Authorization', viewer).send({ kind: 'person' }).expect(400);

    const [payload, signature] = feedPath.split('/')[2].split('.');
    const forged = Buffer.from(
      JSON.stringify({
        v: 1,
        id: 'x',
        scope: { kind: 'unit', congressId: CONGRESS, unitCode: 'BPHC' },
        by: 'm',
        iat: 1,
      }),
    ).toString('base64url');
    await api().get(`/feeds/${forged}.${signature}/calendar.ics`).expect(404);
    expect(payload.length).toBeGreaterThan(10);

    await api()
      .delete(`/feeds/${minted.body.id as string}`)
      .set('Authorization', viewer)
      .expect(403);
    await api()
      .delete(`/feeds/${minted.body.id as string}`)
      .set('Authorization', coordinator)
      .send({ reason: 'lộ đường dẫn' })
      .expect(200);
    await api().get(feedPath).expect(410);
    await api()
      .get(new URL(person.body.url as string).pathname)
      .expect(200);
  });
});
