/**
 * Reports the office can file (docx): the check-in and closing reports of a unit and the congress summary,
 * in the Party's document format (Hướng dẫn 36-HD/VPTW): the issuing body's header and "ĐẢNG CỘNG SẢN VIỆT
 * NAM", number and symbol, place and date line, title, body with the progress tables, recipients (Nơi nhận)
 * and signature block. Times New Roman, A4, margins 20/15/30 mm. Names everywhere, never codes.
 */
import {
  AlignmentType,
  BorderStyle,
  Document,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  VerticalAlign,
  WidthType,
  type ParagraphChild,
} from 'docx';
import { formatVnd, localDateOf, parseLocalDate, person, type PlanState, type PlanSummary } from '../domain';
import { categoryCounts, formatLocalDate, formatLocalDateTime, localDateTime, taskRows } from './task-rows';
import { PLAN_STATUS_WORDS, REPORTING_CATEGORIES, REPORTING_CATEGORY_WORDS, TASK_STATUS_WORDS } from './words.vi';

export const DOCX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

const FONT = 'Times New Roman';
/** docx sizes are half-points. */
const pt = (points: number) => points * 2;
const MM = 56.7; // twips per millimetre

export interface DocumentHeader {
  /** The body above the issuer (cơ quan cấp trên), e.g. `TIỂU BAN TỔ CHỨC PHỤC VỤ ĐẠI HỘI`. */
  superiorBody: string;
  /** The issuing body (cơ quan ban hành), e.g. `BỘ PHẬN TUYÊN TRUYỀN`. */
  issuingBody: string;
  /** Number and symbol; the number is left blank for the clerk to fill in when the document is registered. */
  numberAndSymbol: string;
  /** Place in the date line (địa danh); dots when unknown, for the clerk to write. */
  place?: string;
}

export interface Signature {
  /** `T/M BỘ PHẬN`, `T/M TIỂU BAN`. */
  onBehalfOf: string;
  title: string;
  name: string;
}

const blankBorders = {
  top: { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' },
  bottom: { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' },
  left: { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' },
  right: { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' },
  insideHorizontal: { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' },
  insideVertical: { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' },
};

function text(
  value: string,
  options: { bold?: boolean; italics?: boolean; underline?: boolean; size?: number } = {},
): TextRun {
  return new TextRun({
    text: value,
    font: FONT,
    size: pt(options.size ?? 14),
    ...(options.bold ? { bold: true } : {}),
    ...(options.italics ? { italics: true } : {}),
    ...(options.underline ? { underline: {} } : {}),
  });
}

function line(
  children: ParagraphChild[] | string,
  options: { align?: (typeof AlignmentType)[keyof typeof AlignmentType]; indent?: boolean; after?: number } = {},
): Paragraph {
  return new Paragraph({
    children: typeof children === 'string' ? [text(children)] : children,
    alignment: options.align ?? AlignmentType.JUSTIFIED,
    spacing: { after: options.after ?? 80, line: 300 },
    ...(options.indent ? { indent: { firstLine: Math.round(10 * MM) } } : {}),
  });
}

const center = (children: ParagraphChild[] | string, after = 0) =>
  line(children, { align: AlignmentType.CENTER, after });

function cell(children: Paragraph[], widthPercent: number, borders = true): TableCell {
  return new TableCell({
    children,
    width: { size: widthPercent, type: WidthType.PERCENTAGE },
    verticalAlign: VerticalAlign.CENTER,
    ...(borders ? {} : { borders: blankBorders }),
  });
}

/** `……, ngày 20 tháng 9 năm 2026`. */
export function dateLine(place: string | undefined, instant: number, timeZone: string): string {
  const { year, month, day } = parseLocalDate(localDateOf(instant, timeZone));
  return `${place?.trim() || '……………'}, ngày ${String(day).padStart(2, '0')} tháng ${month} năm ${year}`;
}

/** Two columns side by side without borders: the header (issuer | Party and date) and the closing. */
function sideBySide(left: Paragraph[], leftPercent: number, right: Paragraph[]): Table {
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    borders: blankBorders,
    rows: [new TableRow({ children: [cell(left, leftPercent, false), cell(right, 100 - leftPercent, false)] })],
  });
}

function headerBlock(header: DocumentHeader, at: number, timeZone: string): Table {
  return sideBySide(
    [
      center([text(header.superiorBody.toUpperCase(), { size: 14 })]),
      center([text(header.issuingBody.toUpperCase(), { bold: true })]),
      center([text('*')]),
      center([text(header.numberAndSymbol)]),
    ],
    45,
    [
      center([text('ĐẢNG CỘNG SẢN VIỆT NAM', { bold: true, underline: true, size: 15 })]),
      center(' '),
      center([text(dateLine(header.place, at, timeZone), { italics: true })]),
    ],
  );
}

function titleBlock(kind: string, subject: string): Paragraph[] {
  return [
    new Paragraph({ children: [], spacing: { after: 240 } }),
    center([text(kind.toUpperCase(), { bold: true, size: 15 })]),
    center([text(subject, { bold: true })]),
    center([text('-----')], 200),
  ];
}

function table(headers: string[], rows: string[][], widths: number[]): Table {
  const row = (values: string[], bold: boolean) =>
    new TableRow({
      tableHeader: bold,
      children: values.map((v, i) =>
        cell(
          [
            new Paragraph({
              children: [text(v, { bold, size: 12 })],
              alignment: bold || i !== 1 ? AlignmentType.CENTER : AlignmentType.LEFT,
            }),
          ],
          widths[i],
        ),
      ),
    });
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [row(headers, true), ...rows.map((r) => row(r, false))],
  });
}

function closingBlock(recipients: string[], signature: Signature): Table {
  return sideBySide(
    [
      line([text('Nơi nhận:', { bold: true, italics: true, underline: true, size: 12 })], { after: 0 }),
      ...recipients.map((r, i) =>
        line([text(`- ${r}${i === recipients.length - 1 ? '.' : ','}`, { size: 11 })], {
          after: 0,
          align: AlignmentType.LEFT,
        }),
      ),
    ],
    50,
    [
      center([text(signature.onBehalfOf.toUpperCase(), { bold: true })]),
      center([text(signature.title.toUpperCase(), { bold: true })]),
      center(' '),
      center(' '),
      center(' '),
      center([text(signature.name, { bold: true })]),
    ],
  );
}

async function pack(children: Array<Paragraph | Table>, title: string): Promise<Buffer> {
  const document = new Document({
    title,
    creator: 'tminus',
    styles: { default: { document: { run: { font: FONT, size: pt(14) } } } },
    sections: [
      {
        properties: {
          page: {
            size: { width: Math.round(210 * MM), height: Math.round(297 * MM) },
            margin: {
              top: Math.round(20 * MM),
              bottom: Math.round(20 * MM),
              left: Math.round(30 * MM),
              right: Math.round(15 * MM),
            },
          },
        },
        children,
      },
    ],
  });
  return Packer.toBuffer(document);
}

/** The symbol part of a plan's document number: `03-KH/TB-BPTT` → `TB-BPTT`. */
export function symbolOf(documentNumber: string | undefined, fallback: string): string {
  const slash = documentNumber?.indexOf('/') ?? -1;
  return documentNumber && slash >= 0 ? documentNumber.slice(slash + 1) : fallback;
}

export interface UnitReportOptions {
  kind: 'check-in' | 'closing';
  /** When the report is made (the check-in time, or the closing). */
  at: number;
  place?: string;
}

/** A unit's check-in or closing report as a Party document. */
export async function unitReportDocx(state: PlanState, options: UnitReportOptions): Promise<Buffer> {
  const tz = state.congress.timeZone;
  const unit = state.definition.unitName;
  const rows = taskRows(state, options.at);
  const counts = categoryCounts(rows);
  const counted = rows.filter((r) => r.category !== 'dropped').length;
  const percent = (n: number) => (counted === 0 ? '0%' : `${Math.round((n / counted) * 100)}%`);
  const when = formatLocalDateTime(localDateTime(options.at, tz));
  const subject =
    options.kind === 'closing'
      ? `tổng kết công tác của ${unit} phục vụ ${state.congress.name}`
      : `tiến độ thực hiện nhiệm vụ của ${unit} (kỳ giao ban ${formatLocalDate(localDateTime(options.at, tz))})`;
  const overdue = rows.filter((r) => r.category === 'in-progress-late');
  const plannedBudget = rows.filter((r) => r.category !== 'dropped').reduce((n, r) => n + (r.budgetVnd ?? 0), 0);
  const doneBudget = rows
    .filter((r) => r.category === 'done-on-time' || r.category === 'done-late')
    .reduce((n, r) => n + (r.budgetVnd ?? 0), 0);
  const active = Object.values(state.contingencies).filter((c) => c.status === 'active');
  const scenarioName = (code: string) => state.definition.scenarios.find((s) => s.code === code)?.name ?? code;

  const body: Array<Paragraph | Table> = [
    headerBlock(
      {
        superiorBody: 'TIỂU BAN TỔ CHỨC PHỤC VỤ ĐẠI HỘI',
        issuingBody: unit,
        numberAndSymbol: `Số       -BC/${symbolOf(state.definition.documentNumber, state.definition.unitCode)}`,
        ...(options.place ? { place: options.place } : {}),
      },
      options.at,
      tz,
    ),
    ...titleBlock('Báo cáo', subject),
    line(
      `Thực hiện kế hoạch phục vụ ${state.congress.name}` +
        (state.definition.documentNumber ? ` (Kế hoạch số ${state.definition.documentNumber})` : '') +
        `, ${unit} báo cáo kết quả thực hiện nhiệm vụ tính đến ${when} như sau:`,
      { indent: true },
    ),
    line([text('I. KẾT QUẢ THỰC HIỆN', { bold: true })]),
    line(
      `Tổng số nhiệm vụ được giao: ${rows.length}; trạng thái kế hoạch: ${PLAN_STATUS_WORDS[state.status].toLowerCase()}. ` +
        `Đã hoàn thành ${counts['done-on-time'] + counts['done-late']} nhiệm vụ ` +
        `(${counts['done-on-time']} đúng hạn, ${counts['done-late']} quá hạn); ` +
        `đang thực hiện ${counts['in-progress-on-time'] + counts['in-progress-late']} nhiệm vụ ` +
        `(${counts['in-progress-late']} quá hạn); ${counts['not-due']} nhiệm vụ chưa đến hạn.`,
      { indent: true },
    ),
    table(
      ['Tình hình thực hiện', 'Số nhiệm vụ', 'Tỷ lệ'],
      REPORTING_CATEGORIES.filter((c) => counts[c] > 0 || c !== 'suspended').map((c) => [
        REPORTING_CATEGORY_WORDS[c],
        String(counts[c]),
        c === 'dropped' ? '—' : percent(counts[c]),
      ]),
      [50, 25, 25],
    ),
    line(' '),
    line([text('Chi tiết các nhiệm vụ:', { italics: true })]),
    table(
      ['STT', 'Nội dung nhiệm vụ', 'Cơ quan chủ trì', 'Hạn hoàn thành', 'Tiến độ', 'Tình hình thực hiện'],
      rows.map((r) => [
        String(r.no),
        r.title,
        r.leadAgency,
        r.deadlineLocal ? formatLocalDateTime(r.deadlineLocal) : '—',
        `${r.progress}%`,
        r.daysOverdue > 0 ? `${r.categoryWord} (${r.daysOverdue} ngày)` : r.categoryWord,
      ]),
      [7, 33, 20, 15, 9, 16],
    ),
    line(' '),
    line([text('II. NHIỆM VỤ QUÁ HẠN', { bold: true })]),
    ...(overdue.length === 0
      ? [line('Không có nhiệm vụ quá hạn.', { indent: true })]
      : overdue.map((r) =>
          line(
            `- ${r.title}: hạn ${formatLocalDateTime(r.deadlineLocal!)}, quá hạn ${r.daysOverdue} ngày, ` +
              `tiến độ ${r.progress}%; cơ quan chủ trì: ${r.leadAgency}` +
              (r.responsible ? `; người phụ trách: ${r.responsible}` : '') +
              '.',
            { indent: true },
          ),
        )),
    line([text('III. KINH PHÍ', { bold: true })]),
    line(
      `Kinh phí theo kế hoạch: ${formatVnd(plannedBudget)}; kinh phí của các nhiệm vụ đã hoàn thành: ${formatVnd(doneBudget)}.`,
      { indent: true },
    ),
    ...(active.length > 0
      ? [
          line(`Phương án dự phòng đang áp dụng: ${active.map((c) => scenarioName(c.code)).join('; ')}.`, {
            indent: true,
          }),
        ]
      : []),
    line([text('IV. ĐỀ XUẤT, KIẾN NGHỊ', { bold: true })]),
    line(
      overdue.length > 0
        ? `Đề nghị các cơ quan chủ trì ${[...new Set(overdue.map((r) => r.leadAgency))].join(', ')} khẩn trương hoàn thành các nhiệm vụ quá hạn, báo cáo kết quả về Thường trực Tiểu ban.`
        : 'Đề nghị các cơ quan tiếp tục triển khai các nhiệm vụ theo đúng tiến độ kế hoạch.',
      { indent: true },
    ),
    line(' '),
    closingBlock(['Thường trực Tiểu ban (để báo cáo)', 'Các cơ quan thành viên', `Lưu ${unit}`], {
      onBehalfOf: 'T/M BỘ PHẬN',
      title: 'TRƯỞNG BỘ PHẬN',
      name: person(state, state.definition.unitLead)?.name ?? state.definition.unitLead,
    }),
  ];
  return pack(body, `Báo cáo ${subject}`);
}

/** The Party committee a congress's subcommittee works under, by level (its place name is added by options). */
export const PARTY_COMMITTEE_BY_LEVEL: Readonly<Record<PlanState['congress']['level'], string>> = {
  national: 'BAN CHẤP HÀNH TRUNG ƯƠNG',
  city: 'THÀNH ỦY',
  province: 'TỈNH ỦY',
  district: 'HUYỆN ỦY',
  grassroots: 'ĐẢNG ỦY',
};

export interface CongressSummaryUnit {
  unitName: string;
  progress: PlanSummary;
  /** The plan's state when it could be read: gives the reporting categories. */
  state?: PlanState;
}

/** The congress summary (báo cáo tổng kết) over every unit, as a Party document. */
export async function congressSummaryDocx(
  congress: PlanState['congress'],
  units: CongressSummaryUnit[],
  options: { at: number; place?: string; decisions?: number; superiorBody?: string },
): Promise<Buffer> {
  const tz = congress.timeZone;
  const rowsOf = new Map(units.map((u) => [u, u.state ? taskRows(u.state, options.at) : undefined]));
  const total = units.reduce((n, u) => n + u.progress.total, 0);
  const done = units.reduce((n, u) => n + u.progress.done, 0);
  const body: Array<Paragraph | Table> = [
    headerBlock(
      {
        superiorBody: options.superiorBody ?? PARTY_COMMITTEE_BY_LEVEL[congress.level],
        issuingBody: 'TIỂU BAN TỔ CHỨC PHỤC VỤ ĐẠI HỘI',
        numberAndSymbol: 'Số       -BC/TB',
        ...(options.place ? { place: options.place } : {}),
      },
      options.at,
      tz,
    ),
    ...titleBlock('Báo cáo', `tổng kết công tác tổ chức phục vụ ${congress.name}`),
    line(
      `${congress.name} diễn ra từ ngày ${formatLocalDate(parseLocalDate(congress.startDate))} đến ngày ` +
        `${formatLocalDate(parseLocalDate(congress.endDate))}. Tiểu ban Tổ chức phục vụ Đại hội báo cáo kết quả thực hiện ` +
        `nhiệm vụ của các bộ phận giúp việc như sau:`,
      { indent: true },
    ),
    line([text('I. KẾT QUẢ THỰC HIỆN CỦA CÁC BỘ PHẬN', { bold: true })]),
    table(
      ['STT', 'Bộ phận', 'Trạng thái', 'Hoàn thành', 'Đúng hạn', 'Quá hạn', 'Chưa xong'],
      units.map((u, i) => {
        const rows = rowsOf.get(u);
        const counts = rows ? categoryCounts(rows) : undefined;
        return [
          String(i + 1),
          u.unitName,
          PLAN_STATUS_WORDS[u.progress.status as keyof typeof PLAN_STATUS_WORDS] ?? u.progress.status,
          `${u.progress.done}/${u.progress.total}`,
          counts ? String(counts['done-on-time']) : '—',
          counts ? String(counts['done-late']) : '—',
          String(u.progress.total - u.progress.done),
        ];
      }),
      [7, 33, 18, 12, 10, 10, 10],
    ),
    line(' '),
    line(
      `Tổng số nhiệm vụ đã hoàn thành: ${done}/${total}` +
        (options.decisions ? `; số quyết định cấp Đại hội: ${options.decisions}` : '') +
        '.',
      { indent: true },
    ),
  ];
  const unfinished = units.flatMap((u) =>
    (rowsOf.get(u) ?? [])
      .filter((r) => r.category === 'in-progress-late')
      .map(
        (r) =>
          `${u.unitName}: ${r.title} (${TASK_STATUS_WORDS.in_progress.toLowerCase()}, quá hạn ${r.daysOverdue} ngày)`,
      ),
  );
  body.push(line([text('II. NHỮNG VIỆC CÒN TỒN TẠI', { bold: true })]));
  body.push(
    ...(unfinished.length === 0
      ? [line('Các nhiệm vụ được giao đều đã hoàn thành hoặc được xử lý theo kế hoạch.', { indent: true })]
      : unfinished.map((u) => line(`- ${u}.`, { indent: true }))),
  );
  body.push(line(' '));
  body.push(
    closingBlock(
      ['Ban Thường vụ (để báo cáo)', 'Các đồng chí thành viên Tiểu ban', 'Các bộ phận giúp việc', 'Lưu Văn phòng'],
      { onBehalfOf: 'T/M TIỂU BAN', title: 'TRƯỞNG TIỂU BAN', name: congress.people.head.name },
    ),
  );
  return pack(body, `Báo cáo tổng kết ${congress.name}`);
}
