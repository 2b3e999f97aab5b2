import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { createPlanState, instantAt, type UnitPlanDefinition } from '../../libs/domain';
import { tasksToXlsx } from '../../libs/formats/task-sheet';
import { instantiateTemplate, readTemplate } from '../../libs/templates';
import { EXIT, run } from './program';

const PROVINCE = path.join(__dirname, '../../libs/templates/data/province.yaml');
const SMALL_PLAN = path.join(__dirname, 'fixtures/small-plan.json');
const NOW = instantAt('2026-11-24', 9 * 60, 'Asia/Ho_Chi_Minh');

async function tminus(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(argv, { out: (l) => out.push(l), err: (l) => err.push(l), now: () => NOW });
  return { code, out, err };
}

const smallPlan = () => JSON.parse(readFileSync(SMALL_PLAN, 'utf8')) as UnitPlanDefinition;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'tminus-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, content: string | Buffer): string {
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return file;
}

describe('tminus plan validate', () => {
  it('accepts the shipped province template, with its counts', async () => {
    const { code, out } = await tminus('plan', 'validate', PROVINCE);
    expect(code).toBe(EXIT.ok);
    expect(out).toEqual([
      expect.stringMatching(/^OK: .*province\.yaml \(mẫu Đại hội\) — 3 kế hoạch, \d+ nhiệm vụ, \d+ kịch bản/),
    ]);
  });

  it('accepts a JSON unit plan, saying which congress it was checked against', async () => {
    const { code, out } = await tminus('plan', 'validate', SMALL_PLAN, '--congress-day', '2027-03-15');
    expect(code).toBe(EXIT.ok);
    expect(out[0]).toContain('OK: ');
    expect(out[0]).toContain('1 kế hoạch, 3 nhiệm vụ, 1 kịch bản dự phòng');
    expect(out[0]).toContain('Đại hội mẫu cấp tỉnh');
    expect(out[0]).toContain('2027-03-15');
  });

  it('reports a YAML syntax error at file:line:col, exit 1', async () => {
    const text = readFileSync(PROVINCE, 'utf8').replace('level: province', 'level: [province');
    const file = write('broken.yaml', text);
    const { code, out } = await tminus('plan', 'validate', file);
    expect(code).toBe(EXIT.issues);
    expect(out.length).toBeGreaterThan(0);
    expect(out[0]).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: `));
  });

  it('reports a bad due in a template by its model path and line:col', async () => {
    const text = readFileSync(PROVINCE, 'utf8').replace('due: T-90d', 'due: T-90q');
    const file = write('bad-due.yaml', text);
    const { code, out } = await tminus('plan', 'validate', file);
    expect(code).toBe(EXIT.issues);
    const line = text.split('\n').findIndex((l) => l.includes('due: T-90q')) + 1;
    expect(out).toContainEqual(
      expect.stringMatching(new RegExp(`bad-due\\.yaml:${line}:\\d+: plans\\[0\\]\\.tasks\\[0\\]\\.due: `)),
    );
  });

  it('reports a bad due in a bare plan as tasks[i].due', async () => {
    const plan = smallPlan();
    plan.tasks[1].due = 'after:TT-99+5d';
    const file = write('bad-plan.json', JSON.stringify(plan, null, 2));
    const { code, out } = await tminus('plan', 'validate', file);
    expect(code).toBe(EXIT.issues);
    expect(out).toContainEqual(expect.stringMatching(/bad-plan\.json:\d+:\d+: tasks\[1\]\.due: .*TT-99/));
  });

  it('round-trips the office’s .xlsx sheet, and places a broken cell by sheet, row and column', async () => {
    const template = readTemplate(readFileSync(PROVINCE, 'utf8'), 'province.yaml').template!;
    const { congress, plans } = instantiateTemplate(template, { id: 'dh-thu', startDate: '2030-06-10' });
    const state = createPlanState(congress, plans[0], instantAt('2029-06-01', 8 * 60, 'Asia/Ho_Chi_Minh'));
    const good = write('tasks.xlsx', await tasksToXlsx(state, state.startedAt));
    const ok = await tminus('plan', 'validate', good);
    expect(ok.out[0]).toMatch(/^OK: .*tasks\.xlsx \(bảng nhiệm vụ\) — 1 kế hoạch, \d+ nhiệm vụ/);
    expect(ok.code).toBe(EXIT.ok);

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(good);
    const sheet = workbook.worksheets[0];
    let where = '';
    sheet.eachRow((row, r) =>
      row.eachCell((cell, c) => {
        if (cell.value === 'T-90d' && !where) {
          cell.value = 'T-90q';
          where = `${sheet.name}!${sheet.getColumn(c).letter}${r}`;
        }
      }),
    );
    expect(where).not.toBe('');
    const broken = path.join(dir, 'broken.xlsx');
    await workbook.xlsx.writeFile(broken);
    const bad = await tminus('plan', 'validate', broken);
    expect(bad.code).toBe(EXIT.issues);
    expect(bad.out).toContainEqual(expect.stringContaining(`broken.xlsx:${where}: `));
  });

  it('a missing file or an unknown format is a usage error (exit 2)', async () => {
    const missing = await tminus('plan', 'validate', path.join(dir, 'nope.yaml'));
    expect(missing.code).toBe(EXIT.usage);
    expect(missing.err.join('\n')).toContain('cannot read the file');
    const text = await tminus('plan', 'validate', write('notes.txt', 'hello'));
    expect(text.code).toBe(EXIT.usage);
    expect(text.err.join('\n')).toContain('unknown format');
    const other = await tminus('plan', 'validate', write('other.yaml', 'foo: 1\n'));
    expect(other.code).toBe(EXIT.usage);
  });
});

describe('tminus plan critical-path', () => {
  it('lists the chains with their slack, and the chain that cannot meet its deadline (exit 1)', async () => {
    const plan = smallPlan();
    // TT-02 comes 25 days after TT-01 (due T-20d): its projected deadline is after TT-03's T-3d.
    plan.tasks[1].due = 'after:TT-01+25d';
    const file = write('late-chain.json', JSON.stringify(plan));
    const { code, out } = await tminus('plan', 'critical-path', file, '--congress-day', '2027-03-15');
    const text = out.join('\n');
    expect(code).toBe(EXIT.issues);
    expect(text).toContain(
      'Đường găng: TT-01 Ban hành kế hoạch tuyên truyền → TT-02 Biên soạn đề cương tuyên truyền → TT-03 Triển lãm ảnh thành tựu nhiệm kỳ',
    );
    expect(text).toContain('[KHÔNG KỊP HẠN]');
    expect(text).toContain('TT-02 Biên soạn đề cương tuyên truyền (hạn dự kiến 20/03/2027 17:00; dư 25 ngày)');
    expect(text).toContain('Chuỗi không thể đáp ứng hạn:');
    expect(text).toMatch(
      /! TT-03 .* có hạn 12\/03\/2027 17:00, sớm hơn 8 ngày so với hạn dự kiến 20\/03\/2027 17:00 của TT-02/,
    );
  });

  it('a plan whose chains fit: slack shown, exit 0', async () => {
    const { code, out } = await tminus('plan', 'critical-path', SMALL_PLAN, '--congress-day', '2027-03-15');
    expect(code).toBe(EXIT.ok);
    expect(out.join('\n')).toContain('Thời gian dư ít nhất: 5 ngày');
    expect(out.join('\n')).not.toContain('KHÔNG KỊP HẠN');
  });
});

describe('tminus plan simulate', () => {
  const args = ['plan', 'simulate', SMALL_PLAN, '--congress-day', '2027-03-15'];

  it('prints the reminders, the check-in and the closing in local time, every task on time', async () => {
    const { code, out } = await tminus(...args);
    expect(code).toBe(EXIT.ok);
    const text = out.join('\n');
    expect(text).toContain(
      '22/02/2027 17:00  [BPTT] [Nhắc việc] Ban hành kế hoạch tuyên truyền → gửi Nguyễn Thị Thu Hà, Phạm Thị Thu Hằng',
    );
    expect(text).toContain('23/02/2027 17:00  [BPTT] Hoàn thành TT-01 Ban hành kế hoạch tuyên truyền (đúng hạn)');
    expect(text).toContain('01/03/2027 08:00  [BPTT] [Giao ban] Bộ phận tuyên truyền');
    expect(text).toMatch(/\d\d\/03\/2027 \d\d:\d\d {2}\[BPTT\] Kết thúc kế hoạch: ghi báo cáo tổng kết/);
    expect(text).not.toContain('[Quá hạn]');
    // In time order.
    const times = out
      .map((l) => /^(\d\d)\/(\d\d)\/(\d{4}) (\d\d):(\d\d) /.exec(l))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => `${m[3]}${m[2]}${m[1]}${m[4]}${m[5]}`);
    expect(times.length).toBeGreaterThan(5);
    expect([...times].sort()).toEqual(times);
  });

  it('--late 3 brings the overdue notice and the escalation to the head, by name', async () => {
    const { code, out } = await tminus(...args, '--late', '3');
    expect(code).toBe(EXIT.ok);
    const text = out.join('\n');
    expect(text).toContain('23/02/2027 17:00  [BPTT] [Quá hạn] Ban hành kế hoạch tuyên truyền → gửi Nguyễn Thị Thu Hà');
    expect(text).toContain(
      '25/02/2027 17:00  [BPTT] [Báo cáo vượt cấp 2] Ban hành kế hoạch tuyên truyền → gửi Trần Văn Chung',
    );
    expect(text).toContain('26/02/2027 17:00  [BPTT] Hoàn thành TT-01 Ban hành kế hoạch tuyên truyền (trễ 3 ngày)');
  });

  it('--scenario requests the contingency, approved at once: its notice and its tasks', async () => {
    const { code, out } = await tminus(...args, '--scenario', 'epidemic@2027-03-05');
    expect(code).toBe(EXIT.ok);
    const text = out.join('\n');
    expect(text).toContain('05/03/2027 08:00  [BPTT] Đề nghị kích hoạt phương án dự phòng "Khi có dịch bệnh lây lan"');
    expect(text).toContain('05/03/2027 08:00  [BPTT] [Phương án dự phòng] Khi có dịch bệnh lây lan → gửi');
    expect(text).toContain('Hoàn thành DB-01 Chuyển triển lãm sang trực tuyến');
    expect(text).toContain('Nhiệm vụ không hoàn thành được: BPTT:TT-03');
  });

  it('refuses a scenario no plan has, and a bad --late (exit 2)', async () => {
    expect((await tminus(...args, '--scenario', 'flood@2027-03-05')).code).toBe(EXIT.usage);
    expect((await tminus(...args, '--late', 'many')).code).toBe(EXIT.usage);
    expect((await tminus('plan', 'simulate', SMALL_PLAN)).code).toBe(EXIT.usage); // --congress-day is required
  });

  it('reads a scenario moment as the API does: an impossible date or hour is refused, not rolled over', async () => {
    for (const moment of ['2027-02-30', '2027-03-05T25:00', '2027-03-05T08:60', '2027-03-05T8:00']) {
      const { code, err } = await tminus(...args, '--scenario', `epidemic@${moment}`);
      expect({ moment, code }).toEqual({ moment, code: EXIT.usage });
      expect(err.join('\n')).toContain('--scenario must be');
    }
    const at = await tminus(...args, '--scenario', 'epidemic@2027-03-05T14:30');
    expect(at.code).toBe(EXIT.ok);
    expect(at.out.join('\n')).toContain('14:30');
  });
});

describe('tminus congress move-preview', () => {
  it('shows the tasks that would be overdue at once when congress day comes forward', async () => {
    const { code, out } = await tminus(
      'congress',
      'move-preview',
      SMALL_PLAN,
      '--from',
      '2027-03-15',
      '--to',
      '2026-12-01',
      '--today',
      '2026-11-24',
    );
    expect(code).toBe(EXIT.ok);
    const text = out.join('\n');
    expect(text).toContain('15/03/2027–17/03/2027 → 01/12/2026–03/12/2026');
    expect(text).toContain('Các kế hoạch coi như bắt đầu lúc 24/11/2026 08:00');
    expect(text).toContain(
      'Quá hạn ngay: TT-01 Ban hành kế hoạch tuyên truyền (hạn 23/02/2027 17:00 → 11/11/2026 17:00)',
    );
  });
});

describe('tminus usage', () => {
  it('an unknown command or option is a usage error', async () => {
    expect((await tminus('plan', 'frobnicate', SMALL_PLAN)).code).toBe(EXIT.usage);
    expect((await tminus('plan', 'validate', SMALL_PLAN, '--bogus')).code).toBe(EXIT.usage);
    expect((await tminus('nothing')).code).toBe(EXIT.usage);
  });
});
