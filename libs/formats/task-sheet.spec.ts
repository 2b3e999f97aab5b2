import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { DomainError, propagandaPlan, type TaskDefinition } from '../domain';
import { COORDINATOR, at, runningPlan } from './fixtures';
import { checkImportedTasks } from './task-import';
import { categoryCounts, taskRows } from './task-rows';
import { importContextOf, tasksFromXlsx, tasksToCsv, tasksToXlsx } from './task-sheet';

const NOW = at('2026-09-20');
const PYTHON = path.resolve(__dirname, '../../.tools/python/bin/python');

async function readBack(buffer: Buffer) {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  return workbook;
}

/** A task definition with its optional fields normalised away, for comparisons. */
const plain = (t: TaskDefinition) => JSON.parse(JSON.stringify(t)) as TaskDefinition;

function catchDomainError(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (err) {
    if (err instanceof DomainError) return err;
    throw err;
  }
  throw new Error('expected a DomainError');
}

async function rejection(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof DomainError) return err;
    throw err;
  }
  throw new Error('expected a DomainError');
}

describe('task rows', () => {
  const rows = taskRows(runningPlan(), NOW);

  it('put every task in the category offices report on assigned tasks', () => {
    expect(rows.map((r) => [r.id, r.categoryWord, r.daysOverdue])).toEqual([
      ['TT-01', 'Hoàn thành đúng hạn', 0],
      ['TT-02', 'Hoàn thành quá hạn', 5],
      ['TT-03', 'Đang thực hiện trong hạn', 0],
      ['TT-04', 'Đang thực hiện quá hạn', 6],
      ['TT-05', 'Chưa đến hạn', 0],
      ['TT-06', 'Chưa đến hạn', 0],
      ['TT-07', 'Chưa đến hạn', 0],
    ]);
    expect(categoryCounts(rows)).toMatchObject({
      'done-on-time': 1,
      'done-late': 1,
      'in-progress-on-time': 1,
      'in-progress-late': 1,
      'not-due': 3,
    });
  });

  it('name agencies, people and groups instead of giving codes', () => {
    const tt04 = rows.find((r) => r.id === 'TT-04')!;
    expect(tt04).toMatchObject({
      group: 'Báo chí, truyền thông',
      leadAgency: 'Báo tỉnh',
      coordinatingAgencies: ['Đài Phát thanh và Truyền hình tỉnh', 'Sở Thông tin và Truyền thông'],
      status: 'Đang thực hiện',
      phase: 'Trước Đại hội',
    });
    expect(rows[0].responsible).toBe('Phạm Thị Thu Hằng');
  });

  it('give deadlines in local time (Asia/Ho_Chi_Minh)', () => {
    expect(rows.find((r) => r.id === 'TT-06')!.deadlineLocal).toEqual({
      year: 2026,
      month: 10,
      day: 14,
      hour: 12,
      minute: 0,
    });
  });
});

describe('xlsx export', () => {
  it('is read back by exceljs with names, local deadlines, budgets and categories', async () => {
    const workbook = await readBack(await tasksToXlsx(runningPlan(), NOW));
    const sheet = workbook.getWorksheet('Nhiệm vụ')!;
    expect(String(sheet.getCell('A1').value)).toBe('DANH MỤC NHIỆM VỤ — BỘ PHẬN TUYÊN TRUYỀN');
    const header = sheet.getRow(4).values as string[];
    expect(header.slice(1, 6)).toEqual(['STT', 'Mã nhiệm vụ', 'Nhóm nhiệm vụ', 'Nội dung nhiệm vụ', 'Giai đoạn']);
    const tt04 = sheet.getRow(8);
    const byHeader = (name: string) => tt04.getCell(header.indexOf(name)).value;
    expect(byHeader('Mã nhiệm vụ')).toBe('TT-04');
    expect(byHeader('Cơ quan chủ trì')).toBe('Báo tỉnh');
    expect(byHeader('Cơ quan phối hợp')).toBe('Đài Phát thanh và Truyền hình tỉnh; Sở Thông tin và Truyền thông');
    expect((byHeader('Hạn hoàn thành') as Date).toISOString()).toBe('2026-09-14T17:00:00.000Z'); // 17:00 local
    expect(byHeader('Kinh phí (đồng)')).toBe(120_000_000);
    expect(byHeader('Tiến độ (%)')).toBe(50);
    expect(byHeader('Số ngày quá hạn')).toBe(6);
    expect(byHeader('Tình hình thực hiện')).toBe('Đang thực hiện quá hạn');
    expect(sheet.getColumn(header.indexOf('Hạn hoàn thành')).numFmt).toBe('dd/mm/yyyy hh:mm');
    expect(workbook.getWorksheet('Danh mục')!.getCell('C2').value).toBe('Nội dung tuyên truyền');
    // Drop-down lists of the plan's names, also on spare rows for tasks added by hand.
    expect(sheet.getCell(`F${8}`).dataValidation).toMatchObject({ type: 'list', formulae: ["'Danh mục'!$C$6:$C$15"] });
    expect(sheet.getCell(`C${60}`).dataValidation).toMatchObject({ type: 'list', formulae: ["'Danh mục'!$C$2:$C$5"] });
  });

  it('round-trips: importing the exported sheet gives back every field of every task definition', async () => {
    const state = runningPlan();
    const imported = await tasksFromXlsx(await tasksToXlsx(state, NOW), importContextOf(state));
    expect(imported.tasks.map(plain)).toEqual(propagandaPlan().tasks.map(plain));
    expect(imported.rows.get('TT-01')).toBe(5);
  });

  it('is read by Python’s openpyxl with the same values', async () => {
    if (!existsSync(PYTHON)) {
      console.warn('openpyxl check skipped: run scripts/formats/install-checkers.sh to install it in .tools/python');
      return;
    }
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tminus-xlsx-'));
    const file = path.join(dir, 'tasks.xlsx');
    writeFileSync(file, await tasksToXlsx(runningPlan(), NOW));
    const script = [
      'import json, sys, openpyxl',
      'wb = openpyxl.load_workbook(sys.argv[1])',
      'ws = wb["Nhiệm vụ"]',
      'rows = [[c.value.isoformat() if hasattr(c.value, "isoformat") else c.value for c in r] for r in ws.iter_rows(min_row=4)]',
      'lists = sorted({v.formula1 for v in ws.data_validations.dataValidation})',
      'print(json.dumps({"sheets": wb.sheetnames, "rows": rows, "lists": lists}, ensure_ascii=False))',
    ].join('\n');
    const out = JSON.parse(execFileSync(PYTHON, ['-c', script, file], { encoding: 'utf8' })) as {
      sheets: string[];
      rows: unknown[][];
      lists: string[];
    };
    expect(out.lists).toContain("'Danh mục'!$C$6:$C$15");
    expect(out.sheets).toEqual(['Nhiệm vụ', 'Danh mục']);
    const [header, ...data] = out.rows;
    expect(data).toHaveLength(7);
    const tt04 = data[3];
    expect(tt04[header.indexOf('Mã nhiệm vụ')]).toBe('TT-04');
    expect(tt04[header.indexOf('Cơ quan chủ trì')]).toBe('Báo tỉnh');
    expect(tt04[header.indexOf('Hạn hoàn thành')]).toBe('2026-09-14T17:00:00');
    expect(tt04[header.indexOf('Kinh phí (đồng)')]).toBe(120_000_000);
    expect(tt04[header.indexOf('Tình hình thực hiện')]).toBe('Đang thực hiện quá hạn');
  });
});

describe('csv export', () => {
  it('is UTF-8 with a byte-order mark, one line per task, Vietnamese intact and lists quoted', async () => {
    const csv = await tasksToCsv(runningPlan(), NOW);
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = csv.toString('utf8').slice(1).trim().split('\n');
    expect(lines).toHaveLength(8);
    expect(lines[0]).toMatch(/^STT,Mã nhiệm vụ,Nhóm nhiệm vụ,Nội dung nhiệm vụ,/);
    expect(lines[4]).toContain('TT-04');
    expect(lines[4]).toContain('14/09/2026 17:00');
    expect(lines[4]).toContain('Đang thực hiện quá hạn');
    expect(lines[2]).toContain('Biên soạn đề cương tuyên truyền');
    expect(lines[3]).toContain('"Trang trí, khánh tiết các tuyến phố chính"');
  });
});

describe('xlsx import of the office’s own sheet', () => {
  /** A sheet as an office makes it: a title, headings of its own wording, names, dates instead of T-… */
  async function officeSheet(rows: unknown[][]): Promise<Buffer> {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Danh muc cong viec');
    sheet.addRow(['DANH MỤC CÔNG VIỆC PHỤC VỤ ĐẠI HỘI']);
    sheet.addRow([]);
    sheet.addRow(['TT', 'Mã', 'Nhóm', 'Nội dung công việc', 'Chủ trì', 'Phối hợp', 'Hạn hoàn thành', 'Kinh phí']);
    for (const row of rows) sheet.addRow(row);
    return Buffer.from(await workbook.xlsx.writeBuffer());
  }

  it('reads names, accepts headings without diacritics and turns dates into local instants', async () => {
    const file = await officeSheet([
      [
        1,
        'TT-08',
        'Báo chí, truyền thông',
        'Phóng sự về Đại hội',
        'Bao tinh',
        'Sở Thông tin và Truyền thông',
        '05/10/2026 16:30',
        '25.000.000',
      ],
      [2, 'TT-09', 'co-dong', 'Pa-nô tại trung tâm', 'SVHTTDL', '', new Date(Date.UTC(2026, 9, 1)), 40_000_000],
    ]);
    const imported = await tasksFromXlsx(file, importContextOf(runningPlan()));
    expect(imported.sheet).toBe('Danh muc cong viec');
    expect(imported.tasks).toEqual([
      {
        id: 'TT-08',
        title: 'Phóng sự về Đại hội',
        group: 'bao-chi',
        phase: 'before',
        leadAgency: 'BAO',
        coordinatingAgencies: ['STTTT'],
        due: '2026-10-05T16:30:00+07:00',
        budgetVnd: 25_000_000,
      },
      {
        id: 'TT-09',
        title: 'Pa-nô tại trung tâm',
        group: 'co-dong',
        phase: 'before',
        leadAgency: 'SVHTTDL',
        due: '2026-10-01T17:00:00+07:00',
        budgetVnd: 40_000_000,
      },
    ]);
  });

  it('names the sheet, row and column of every problem', async () => {
    const file = await officeSheet([
      [1, 'TT-08', 'Báo chí, truyền thông', 'Phóng sự', 'Sở Ngoại vụ', '', '05/10/2026', ''],
      [2, 'TT-09', 'Nhóm lạ', '', 'BAO', '', '31/02/2026', 'nhiều'],
    ]);
    const error = await rejection(tasksFromXlsx(file, importContextOf(runningPlan())));
    expect(error.code).toBe('INVALID_INPUT');
    const messages = error.issues.map((i) => i.message);
    expect(messages).toEqual([
      'Trang "Danh muc cong viec", dòng 4, cột E (Cơ quan chủ trì): "Sở Ngoại vụ" không phải cơ quan của kế hoạch',
      'Trang "Danh muc cong viec", dòng 5, cột D (Nội dung nhiệm vụ): bắt buộc, đang để trống',
      'Trang "Danh muc cong viec", dòng 5, cột C (Nhóm nhiệm vụ): "Nhóm lạ" không phải nhóm nhiệm vụ của kế hoạch',
      'Trang "Danh muc cong viec", dòng 5, cột G (Hạn hoàn thành): "31/02/2026" không phải ngày giờ (dd/mm/yyyy hh:mm)',
      'Trang "Danh muc cong viec", dòng 5, cột H (Kinh phí (đồng)): "nhiều" không phải số tiền (đồng, số nguyên không âm)',
    ]);
    expect(error.issues[0]).toMatchObject({
      sheet: 'Danh muc cong viec',
      row: 4,
      column: 'E',
      path: 'Danh muc cong viec!E4',
    });
  });

  it('refuses a file that is not an xlsx, and a sheet without the heading row', async () => {
    const ctx = importContextOf(runningPlan());
    expect((await rejection(tasksFromXlsx(Buffer.from('not a zip'), ctx))).message).toMatch(/không đọc được tệp .xlsx/);
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Trang 1').addRow(['a', 'b']);
    const error = await rejection(tasksFromXlsx(Buffer.from(await workbook.xlsx.writeBuffer()), ctx));
    expect(error.message).toMatch(/Trang "Trang 1", dòng 1: không tìm thấy dòng tiêu đề/);
  });

  it('checks the batch against the running plan with the engine’s own addTask: all problems, nothing added', async () => {
    const state = runningPlan();
    const file = await officeSheet([
      [1, 'TT-10', 'Báo chí, truyền thông', 'Tọa đàm', 'BAO', '', '05/10/2026', ''],
      [2, 'TT-04', 'Báo chí, truyền thông', 'Trùng mã', 'BAO', '', '05/10/2026', ''],
    ]);
    const imported = await tasksFromXlsx(file, importContextOf(state));
    const before = JSON.stringify(state);
    const error = catchDomainError(() => checkImportedTasks(state, imported, COORDINATOR, NOW));
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0].message).toMatch(/^Trang "Danh muc cong viec", dòng 5, cột B \(Mã nhiệm vụ\): .*TT-04/);
    expect(JSON.stringify(state)).toBe(before);
    const ok = await tasksFromXlsx(
      await officeSheet([[1, 'TT-10', 'bao-chi', 'Tọa đàm', 'BAO', '', '05/10/2026', '']]),
      importContextOf(state),
    );
    expect(() => checkImportedTasks(state, ok, COORDINATOR, NOW)).not.toThrow();
  });

  it('recognises tasks an earlier try with the same file already added (by their idempotency keys)', async () => {
    const state = runningPlan();
    const file = await officeSheet([[1, 'TT-04', 'bao-chi', 'Đã thêm lần trước', 'BAO', '', '05/10/2026', '']]);
    const imported = await tasksFromXlsx(file, importContextOf(state));
    const key = (id: string) => `import:abc:${id}`;
    expect(() => checkImportedTasks(state, imported, COORDINATOR, NOW, key)).toThrow(DomainError);
    state.processedRequests.push({ id: key('TT-04'), type: 'addTask', result: { ok: true, taskId: 'TT-04' } });
    expect(() => checkImportedTasks(state, imported, COORDINATOR, NOW, key)).not.toThrow();
  });
});
