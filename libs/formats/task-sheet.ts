/**
 * The office's task sheet in and out (exceljs): a plan's tasks as .xlsx and CSV, and the tasks of an .xlsx
 * read back into task definitions, with every problem named by sheet, row and column. The xlsx keeps every
 * field of a task definition, so that an exported sheet imports back to the same definitions.
 */
import ExcelJS from 'exceljs';
import {
  DomainError,
  instantAt,
  PHASES,
  type Agency,
  type Person,
  type Phase,
  type PlanState,
  type TaskDefinition,
  type TaskGroup,
  type ValidationIssue,
} from '../domain';
import { formatLocalDateTime, localDateTime, taskRows, type LocalDateTime, type TaskRow } from './task-rows';
import {
  LOCAL_DATE_TIME_HINT,
  NO,
  PHASE_WORDS,
  PLAN_STATUS_WORDS,
  TASK_COLUMNS,
  TASK_SHEET_NAME,
  YES,
  type TaskColumn,
} from './words.vi';

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';

const COLUMN_ORDER = Object.keys(TASK_COLUMNS) as TaskColumn[];
const LIST_SEPARATOR = '; ';
/** The header row of the exported sheet (rows above it carry the title). */
const HEADER_ROW = 4;

function cellValue(row: TaskRow, column: TaskColumn): string | number | Date | null {
  switch (column) {
    case 'no':
      return row.no;
    case 'id':
      return row.id;
    case 'group':
      return row.group;
    case 'title':
      return row.title;
    case 'phase':
      return row.phase;
    case 'leadAgency':
      return row.leadAgency;
    case 'coordinatingAgencies':
      return row.coordinatingAgencies.join(LIST_SEPARATOR);
    case 'responsible':
      return row.responsible ?? null;
    case 'due':
      return row.due;
    case 'deadline':
      return row.deadlineLocal ? wallClockDate(row.deadlineLocal) : null;
    case 'budgetVnd':
      return row.budgetVnd ?? null;
    case 'progress':
      return row.progress;
    case 'daysOverdue':
      return row.daysOverdue;
    case 'category':
      return row.categoryWord;
    case 'status':
      return row.status;
    case 'dependsOn':
      return row.dependsOn.join(LIST_SEPARATOR);
    case 'deliverable':
      return row.deliverable ?? null;
    case 'requiresApproval':
      return row.requiresApproval === undefined ? null : row.requiresApproval ? YES : NO;
  }
}

/** Excel dates have no zone: the cell holds the local wall-clock time (its UTC parts are the local parts). */
function wallClockDate(t: LocalDateTime): Date {
  return new Date(Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute));
}

const WIDTHS: Partial<Record<TaskColumn, number>> = {
  no: 5,
  id: 10,
  group: 24,
  title: 48,
  leadAgency: 28,
  coordinatingAgencies: 32,
  responsible: 22,
  due: 16,
  deadline: 17,
  budgetVnd: 16,
  category: 24,
  status: 20,
  deliverable: 28,
};

/** A plan's tasks as an .xlsx workbook: the task sheet, and a sheet listing the plan's codes and names. */
export async function tasksToXlsx(state: PlanState, now: number): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'tminus';
  workbook.created = new Date(now);
  const sheet = workbook.addWorksheet(TASK_SHEET_NAME, { views: [{ state: 'frozen', ySplit: HEADER_ROW }] });
  sheet.getCell('A1').value = `DANH MỤC NHIỆM VỤ — ${state.definition.unitName.toUpperCase()}`;
  sheet.getCell('A1').font = { bold: true, size: 13 };
  sheet.getCell('A2').value =
    `${state.congress.name} · Kế hoạch: ${PLAN_STATUS_WORDS[state.status]}` +
    ` · Số liệu đến ${formatLocalDateTime(localDateTime(now, state.congress.timeZone))} (giờ ${state.congress.timeZone})`;
  sheet.getCell('A2').font = { italic: true };
  const header = sheet.getRow(HEADER_ROW);
  COLUMN_ORDER.forEach((column, i) => {
    const cell = header.getCell(i + 1);
    cell.value = TASK_COLUMNS[column].header;
    cell.font = { bold: true };
    cell.alignment = { wrapText: true, vertical: 'middle', horizontal: 'center' };
    cell.border = { bottom: { style: 'thin' } };
    sheet.getColumn(i + 1).width = WIDTHS[column] ?? 12;
  });
  const deadlineColumn = sheet.getColumn(COLUMN_ORDER.indexOf('deadline') + 1);
  const budgetColumn = sheet.getColumn(COLUMN_ORDER.indexOf('budgetVnd') + 1);
  for (const row of taskRows(state, now)) {
    sheet.addRow(COLUMN_ORDER.map((column) => cellValue(row, column)));
  }
  deadlineColumn.numFmt = 'dd/mm/yyyy hh:mm';
  budgetColumn.numFmt = '#,##0';
  sheet.autoFilter = { from: { row: HEADER_ROW, column: 1 }, to: { row: HEADER_ROW, column: COLUMN_ORDER.length } };

  const lists = workbook.addWorksheet('Danh mục');
  lists.columns = [
    { header: 'Loại', width: 18 },
    { header: 'Mã', width: 16 },
    { header: 'Tên', width: 44 },
  ];
  lists.getRow(1).font = { bold: true };
  for (const g of state.definition.groups) lists.addRow(['Nhóm nhiệm vụ', g.id, g.name]);
  for (const a of state.definition.agencies) lists.addRow(['Cơ quan', a.code, a.name]);
  for (const p of importContextOf(state).people) lists.addRow(['Cán bộ', p.id, p.name]);
  addChoiceLists(sheet, state);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** Rows below the tasks that still offer the drop-down lists, for the office to add tasks by hand. */
const SPARE_ROWS = 100;

/** Drop-down lists (from the "Danh mục" sheet) on the columns that take a group, agency, person or phase. */
function addChoiceLists(sheet: ExcelJS.Worksheet, state: PlanState): void {
  const people = importContextOf(state).people.length;
  const groups = state.definition.groups.length;
  const agencies = state.definition.agencies.length;
  const range = (from: number, count: number) => `'Danh mục'!$C$${from}:$C$${from + count - 1}`;
  const choices: Partial<Record<TaskColumn, string>> = {
    group: range(2, groups),
    leadAgency: range(2 + groups, agencies),
    responsible: range(2 + groups + agencies, people),
    phase: `"${PHASES.map((p) => PHASE_WORDS[p]).join(',')}"`,
    requiresApproval: `"${YES},${NO}"`,
  };
  const last = sheet.rowCount + SPARE_ROWS;
  for (const [column, formula] of Object.entries(choices) as Array<[TaskColumn, string]>) {
    const c = COLUMN_ORDER.indexOf(column) + 1;
    for (let r = HEADER_ROW + 1; r <= last; r++) {
      sheet.getCell(r, c).dataValidation = { type: 'list', allowBlank: true, formulae: [formula] };
    }
  }
}

/** A plan's tasks as CSV (UTF-8 with a byte-order mark, so that Excel reads the Vietnamese letters). */
export async function tasksToCsv(state: PlanState, now: number): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(TASK_SHEET_NAME);
  sheet.addRow(COLUMN_ORDER.map((c) => TASK_COLUMNS[c].header));
  for (const row of taskRows(state, now)) {
    sheet.addRow(
      COLUMN_ORDER.map((column) =>
        column === 'deadline'
          ? row.deadlineLocal
            ? formatLocalDateTime(row.deadlineLocal)
            : null
          : cellValue(row, column),
      ),
    );
  }
  const csv = await workbook.csv.writeBuffer({ sheetName: TASK_SHEET_NAME });
  return Buffer.concat([Buffer.from('\uFEFF', 'utf8'), Buffer.from(csv)]);
}

// ---------------------------------------------------------------------------------------------------------
// Import

/** What names in a sheet may refer to: the plan's agencies, people and task groups. */
export interface ImportContext {
  agencies: Agency[];
  people: Person[];
  groups: TaskGroup[];
  timeZone: string;
}

export function importContextOf(state: PlanState): ImportContext {
  const people = new Map<string, Person>();
  const congress = state.congress.people;
  for (const p of [
    congress.head,
    ...congress.deputyHeads,
    ...congress.standingSection,
    ...congress.standingCommittee,
    ...(state.definition.people ?? []),
  ]) {
    people.set(p.id, p);
  }
  return {
    agencies: state.definition.agencies,
    people: [...people.values()],
    groups: state.definition.groups,
    timeZone: state.congress.timeZone,
  };
}

export interface SheetIssue extends ValidationIssue {
  sheet: string;
  row: number;
  /** Column letter (A, B, …) and its heading, when the issue is about one cell. */
  column?: string;
  header?: string;
}

export interface ImportedTasks {
  sheet: string;
  tasks: TaskDefinition[];
  /** Where each task came from, by task id: its row and the column letter of each field. */
  rows: Map<string, number>;
  columns: Partial<Record<TaskColumn, string>>;
}

/** Lower case, without diacritics or punctuation: headings and names are matched on this. */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .replace(/[^a-z0-9%]+/g, ' ')
    .trim();
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') {
    if ('richText' in value)
      return value.richText
        .map((r) => r.text)
        .join('')
        .trim();
    if ('text' in value && typeof value.text === 'string') return value.text.trim();
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
    if ('error' in value) return '';
    return '';
  }
  return String(value).trim();
}

function sheetIssue(
  sheet: string,
  row: number,
  column: string | undefined,
  header: string | undefined,
  message: string,
): SheetIssue {
  const where = `Trang "${sheet}", dòng ${row}${column ? `, cột ${column}${header ? ` (${header})` : ''}` : ''}`;
  return {
    sheet,
    row,
    ...(column ? { column } : {}),
    ...(header ? { header } : {}),
    path: `${sheet}!${column ?? ''}${row}`,
    message: `${where}: ${message}`,
  };
}

export function sheetError(issues: SheetIssue[]): DomainError {
  const summary = issues
    .slice(0, 5)
    .map((i) => i.message)
    .join('; ');
  const more = issues.length > 5 ? ` (và ${issues.length - 5} lỗi khác)` : '';
  return new DomainError('INVALID_INPUT', `${summary}${more}`, issues);
}

function findHeader(sheet: ExcelJS.Worksheet): { row: number; columns: Map<TaskColumn, number> } | undefined {
  const wanted = new Map<string, TaskColumn>();
  for (const column of COLUMN_ORDER) {
    for (const name of [TASK_COLUMNS[column].header, ...TASK_COLUMNS[column].aliases]) wanted.set(fold(name), column);
  }
  for (let r = 1; r <= Math.min(15, sheet.rowCount); r++) {
    const columns = new Map<TaskColumn, number>();
    sheet.getRow(r).eachCell((cell, c) => {
      const column = wanted.get(fold(cellText(cell.value)));
      if (column && !columns.has(column)) columns.set(column, c);
    });
    if (columns.has('title') && columns.has('leadAgency')) return { row: r, columns };
  }
  return undefined;
}

function resolver<T>(items: T[], code: (t: T) => string, name: (t: T) => string) {
  const byKey = new Map<string, string>();
  for (const item of items) byKey.set(fold(name(item)), code(item));
  for (const item of items) byKey.set(fold(code(item)), code(item));
  return (text: string) => byKey.get(fold(text));
}

const PHASE_BY_WORD = new Map<string, Phase>(
  PHASES.flatMap((p) => [
    [fold(PHASE_WORDS[p]), p],
    [fold(p), p],
  ]),
);

/** `16/07/2027 17:00`, `16/07/2027` (17:00) or an Excel date cell (its wall-clock parts), in the zone. */
function parseDeadlineCell(value: ExcelJS.CellValue, timeZone: string): number | undefined {
  if (value instanceof Date) {
    const minute = value.getUTCHours() * 60 + value.getUTCMinutes();
    const date = value.toISOString().slice(0, 10);
    return instantAt(date, minute === 0 ? 17 * 60 : minute, timeZone);
  }
  const match = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(\d{1,2}):(\d{2}))?$/.exec(cellText(value));
  if (!match) return undefined;
  const [, d, m, y, hh, mm] = match;
  const date = `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
  try {
    return instantAt(date, hh === undefined ? 17 * 60 : Number(hh) * 60 + Number(mm), timeZone);
  } catch {
    return undefined;
  }
}

function isoWithOffset(instant: number, timeZone: string): string {
  const t = localDateTime(instant, timeZone);
  const offsetMinutes = Math.round((Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute) - instant) / 60_000);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const two = (n: number) => String(n).padStart(2, '0');
  return (
    `${t.year}-${two(t.month)}-${two(t.day)}T${two(t.hour)}:${two(t.minute)}:00` +
    `${sign}${two(Math.floor(abs / 60))}:${two(abs % 60)}`
  );
}

/**
 * Reads the tasks of an .xlsx: the sheet named "Nhiệm vụ" (else the first), the header row found among the
 * first rows by its headings (aliases and missing diacritics accepted), names or codes for groups, agencies
 * and people. Throws a DomainError (INVALID_INPUT) listing every problem by sheet, row and column; the tasks
 * it returns still have to pass the domain's validation (see `checkImportedTasks`).
 */
export async function tasksFromXlsx(file: Buffer | ArrayBuffer, ctx: ImportContext): Promise<ImportedTasks> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(file as ArrayBuffer);
  } catch (err) {
    const message = `không đọc được tệp .xlsx: ${err instanceof Error ? err.message : String(err)}`;
    throw new DomainError('INVALID_INPUT', message, [{ path: 'file', message }]);
  }
  const sheet = workbook.getWorksheet(TASK_SHEET_NAME) ?? workbook.worksheets[0];
  if (!sheet) {
    const message = 'tệp không có trang tính nào';
    throw new DomainError('INVALID_INPUT', message, [{ path: 'file', message }]);
  }
  const header = findHeader(sheet);
  if (!header) {
    throw sheetError([
      sheetIssue(
        sheet.name,
        1,
        undefined,
        undefined,
        `không tìm thấy dòng tiêu đề có các cột "${TASK_COLUMNS.title.header}" và "${TASK_COLUMNS.leadAgency.header}"`,
      ),
    ]);
  }
  const letter = (c: number) => sheet.getColumn(c).letter;
  const columns: Partial<Record<TaskColumn, string>> = {};
  for (const [column, c] of header.columns) columns[column] = letter(c);
  const agency = resolver(
    ctx.agencies,
    (a) => a.code,
    (a) => a.name,
  );
  const person = resolver(
    ctx.people,
    (p) => p.id,
    (p) => p.name,
  );
  const group = resolver(
    ctx.groups,
    (g) => g.id,
    (g) => g.name,
  );

  const issues: SheetIssue[] = [];
  const tasks: TaskDefinition[] = [];
  const rows = new Map<string, number>();
  for (let r = header.row + 1; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    const raw = (column: TaskColumn): ExcelJS.CellValue => {
      const c = header.columns.get(column);
      return c === undefined ? null : row.getCell(c).value;
    };
    const text = (column: TaskColumn) => cellText(raw(column));
    if (COLUMN_ORDER.every((column) => text(column) === '' || column === 'no')) continue;
    const problem = (column: TaskColumn, message: string) => {
      const c = header.columns.get(column);
      issues.push(sheetIssue(sheet.name, r, c ? letter(c) : undefined, TASK_COLUMNS[column].header, message));
    };
    const required = (column: TaskColumn): string => {
      const value = text(column);
      if (!value) problem(column, header.columns.has(column) ? 'bắt buộc, đang để trống' : 'thiếu cột này');
      return value;
    };
    const id = required('id');
    const title = required('title');
    const groupText = required('group');
    const groupId = groupText ? group(groupText) : undefined;
    if (groupText && !groupId) problem('group', `"${groupText}" không phải nhóm nhiệm vụ của kế hoạch`);
    const phaseText = text('phase');
    const phase = phaseText ? PHASE_BY_WORD.get(fold(phaseText)) : 'before';
    if (!phase)
      problem('phase', `"${phaseText}" không phải giai đoạn (${PHASES.map((p) => PHASE_WORDS[p]).join(', ')})`);
    const leadText = required('leadAgency');
    const leadAgency = leadText ? agency(leadText) : undefined;
    if (leadText && !leadAgency) problem('leadAgency', `"${leadText}" không phải cơ quan của kế hoạch`);
    const coordinating: string[] = [];
    for (const name of splitList(text('coordinatingAgencies'))) {
      const code = agency(name);
      if (code) coordinating.push(code);
      else problem('coordinatingAgencies', `"${name}" không phải cơ quan của kế hoạch`);
    }
    const responsibleText = text('responsible');
    const responsible = responsibleText ? person(responsibleText) : undefined;
    if (responsibleText && !responsible) problem('responsible', `"${responsibleText}" không có trong danh sách cán bộ`);
    let due = text('due');
    if (!due) {
      const deadline = raw('deadline');
      const at = parseDeadlineCell(deadline, ctx.timeZone);
      if (at !== undefined) due = isoWithOffset(at, ctx.timeZone);
      else if (cellText(deadline))
        problem('deadline', `"${cellText(deadline)}" không phải ngày giờ (${LOCAL_DATE_TIME_HINT})`);
      else problem('due', 'cần thời hạn (ví dụ T-30d) hoặc hạn hoàn thành (dd/mm/yyyy hh:mm)');
    }
    const budgetRaw = raw('budgetVnd');
    let budgetVnd: number | undefined;
    if (cellText(budgetRaw) !== '') {
      budgetVnd = typeof budgetRaw === 'number' ? budgetRaw : Number(cellText(budgetRaw).replace(/[.,\s]|đồng|đ/g, ''));
      if (!Number.isSafeInteger(budgetVnd) || budgetVnd < 0) {
        problem('budgetVnd', `"${cellText(budgetRaw)}" không phải số tiền (đồng, số nguyên không âm)`);
        budgetVnd = undefined;
      }
    }
    const approvalText = fold(text('requiresApproval'));
    const requiresApproval = approvalText === '' ? undefined : ['co', 'x', 'yes', 'true', '1'].includes(approvalText);
    if (approvalText && !['co', 'khong', 'x', 'yes', 'no', 'true', 'false', '1', '0'].includes(approvalText)) {
      problem('requiresApproval', `"${text('requiresApproval')}" phải là "${YES}" hoặc "${NO}"`);
    }
    const dependsOn = splitList(text('dependsOn'));
    const deliverable = text('deliverable');
    if (id && rows.has(id)) problem('id', `mã ${id} trùng với dòng ${rows.get(id)}`);
    if (id) rows.set(id, r);
    tasks.push({
      id,
      title,
      group: groupId ?? groupText,
      phase: phase ?? 'before',
      leadAgency: leadAgency ?? leadText,
      ...(coordinating.length > 0 ? { coordinatingAgencies: coordinating } : {}),
      ...(responsible ? { responsible } : {}),
      due,
      ...(dependsOn.length > 0 ? { dependsOn } : {}),
      ...(budgetVnd !== undefined ? { budgetVnd } : {}),
      ...(requiresApproval !== undefined ? { requiresApproval } : {}),
      ...(deliverable ? { deliverable } : {}),
    });
  }
  if (issues.length > 0) throw sheetError(issues);
  if (tasks.length === 0)
    throw sheetError([sheetIssue(sheet.name, header.row + 1, undefined, undefined, 'không có nhiệm vụ nào')]);
  return { sheet: sheet.name, tasks, rows, columns };
}

function splitList(text: string): string[] {
  return text
    .split(/[;\n]/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** Field of a task definition (from a domain issue path such as `task.leadAgency` or `tasks[3].due`) → column. */
const FIELD_COLUMNS: Record<string, TaskColumn> = {
  id: 'id',
  title: 'title',
  group: 'group',
  phase: 'phase',
  leadAgency: 'leadAgency',
  coordinatingAgencies: 'coordinatingAgencies',
  responsible: 'responsible',
  due: 'due',
  dependsOn: 'dependsOn',
  budgetVnd: 'budgetVnd',
  requiresApproval: 'requiresApproval',
  deliverable: 'deliverable',
};

/** A domain issue about one imported task, placed at its row and (when the path names a field) its column. */
export function issueAtRow(imported: ImportedTasks, taskId: string, issue: ValidationIssue): SheetIssue {
  const row = imported.rows.get(taskId) ?? 0;
  const field = /\.([A-Za-z]+)(?:\[\d+\])?$/.exec(issue.path)?.[1];
  const column = field ? FIELD_COLUMNS[field] : undefined;
  return sheetIssue(
    imported.sheet,
    row,
    column ? (imported.columns[column] ?? undefined) : undefined,
    column ? TASK_COLUMNS[column].header : undefined,
    issue.message,
  );
}
