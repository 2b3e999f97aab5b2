/**
 * The Vietnamese words of the office's own documents: status words, the reporting categories used when
 * reporting on assigned tasks, column headings. One place for the exports (xlsx, csv, ics, docx, svg).
 */

// The status and phase words are the domain's (what the Temporal UI and notices say too).
export { PHASE_WORDS, PLAN_STATUS_WORDS, TASK_STATUS_WORDS } from '../domain/messages.vi';

/**
 * How Vietnamese offices count assigned tasks in their reports. `not-due` is a task not started whose deadline
 * has not come; `in-progress-on-time` one under way before its deadline; tasks waived or cancelled are counted
 * apart, and so are tasks stopped by a contingency.
 */
export type ReportingCategory =
  | 'done-on-time'
  | 'done-late'
  | 'in-progress-on-time'
  | 'in-progress-late'
  | 'not-due'
  | 'suspended'
  | 'dropped';

export const REPORTING_CATEGORIES: readonly ReportingCategory[] = [
  'done-on-time',
  'done-late',
  'in-progress-on-time',
  'in-progress-late',
  'not-due',
  'suspended',
  'dropped',
];

export const REPORTING_CATEGORY_WORDS: Readonly<Record<ReportingCategory, string>> = {
  'done-on-time': 'Hoàn thành đúng hạn',
  'done-late': 'Hoàn thành quá hạn',
  'in-progress-on-time': 'Đang thực hiện trong hạn',
  'in-progress-late': 'Đang thực hiện quá hạn',
  'not-due': 'Chưa đến hạn',
  suspended: 'Tạm dừng theo phương án dự phòng',
  dropped: 'Không thực hiện',
};

/** Column headings of the task sheet, in the order they appear. Import also accepts the aliases. */
export const TASK_COLUMNS = {
  no: { header: 'STT', aliases: ['Số TT', 'TT'] },
  id: { header: 'Mã nhiệm vụ', aliases: ['Mã', 'Mã NV', 'Mã số'] },
  group: { header: 'Nhóm nhiệm vụ', aliases: ['Nhóm'] },
  title: { header: 'Nội dung nhiệm vụ', aliases: ['Nội dung', 'Nhiệm vụ', 'Tên nhiệm vụ', 'Nội dung công việc'] },
  phase: { header: 'Giai đoạn', aliases: [] },
  leadAgency: { header: 'Cơ quan chủ trì', aliases: ['Chủ trì', 'Đơn vị chủ trì'] },
  coordinatingAgencies: { header: 'Cơ quan phối hợp', aliases: ['Phối hợp', 'Đơn vị phối hợp'] },
  responsible: { header: 'Người phụ trách', aliases: ['Cán bộ phụ trách', 'Người chịu trách nhiệm'] },
  due: { header: 'Thời hạn (theo kế hoạch)', aliases: ['Thời hạn', 'Hạn'] },
  deadline: { header: 'Hạn hoàn thành', aliases: ['Ngày hết hạn'] },
  budgetVnd: { header: 'Kinh phí (đồng)', aliases: ['Kinh phí', 'Dự toán kinh phí'] },
  progress: { header: 'Tiến độ (%)', aliases: ['Tiến độ'] },
  daysOverdue: { header: 'Số ngày quá hạn', aliases: [] },
  category: { header: 'Tình hình thực hiện', aliases: ['Tình trạng'] },
  status: { header: 'Trạng thái', aliases: [] },
  dependsOn: { header: 'Nhiệm vụ phụ thuộc', aliases: ['Phụ thuộc', 'Sau nhiệm vụ'] },
  deliverable: { header: 'Sản phẩm', aliases: ['Sản phẩm đầu ra', 'Kết quả'] },
  requiresApproval: { header: 'Trình Ban Thường vụ', aliases: ['Cần phê duyệt'] },
} as const;

export type TaskColumn = keyof typeof TASK_COLUMNS;

export const TASK_SHEET_NAME = 'Nhiệm vụ';
export const YES = 'Có';
export const NO = 'Không';

/** `16/07/2027 17:00`: the way a date and time is written in the office's sheets. */
export const LOCAL_DATE_TIME_HINT = 'dd/mm/yyyy hh:mm';

/** `7 ngày`, `1 ngày 2 giờ`, `30 phút`. */
export function durationWords(ms: number): string {
  const parts: string[] = [];
  let rest = Math.max(0, Math.round(ms / 60_000));
  for (const [minutes, word] of [
    [24 * 60, 'ngày'],
    [60, 'giờ'],
    [1, 'phút'],
  ] as const) {
    const n = Math.floor(rest / minutes);
    if (n > 0) parts.push(`${n} ${word}`);
    rest -= n * minutes;
  }
  return parts.length > 0 ? parts.join(' ') : '0 phút';
}
