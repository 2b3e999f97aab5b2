/**
 * What people read: notification subjects and texts in Vietnamese. One place, so that wording is reviewed
 * once and every channel (webhook, email, report) says the same thing.
 */
import { localDateOf, localMinuteOfDay } from './calendar';
import { formatDuration } from './duration';
import type {
  ApprovalRequest,
  Comment,
  CongressLevel,
  EscalationAudience,
  NotificationEvent,
  Phase,
  PlanStatus,
  TaskState,
  TaskStatus,
  UnitPlanDefinition,
} from './model';
import type { PlanSummary, ProgressReport } from './plan/views';

/** `17:00 ngày 15/01/2026` in the congress's time zone. */
export function formatLocal(instant: number, timeZone: string): string {
  const [y, m, d] = localDateOf(instant, timeZone).split('-');
  const minutes = localMinuteOfDay(instant, timeZone);
  const hh = String(Math.floor(minutes / 60)).padStart(2, '0');
  const mm = String(minutes % 60).padStart(2, '0');
  return `${hh}:${mm} ngày ${d}/${m}/${y}`;
}

export function formatVnd(amount: number): string {
  return `${amount.toString().replace(/\B(?=(\d{3})+(?!\d))/g, '.')} đồng`;
}

export const TASK_STATUS_WORDS: Readonly<Record<TaskStatus, string>> = {
  blocked: 'Chờ nhiệm vụ trước',
  open: 'Chưa triển khai',
  in_progress: 'Đang thực hiện',
  awaiting_approval: 'Chờ Ban Thường vụ cho ý kiến',
  done: 'Đã hoàn thành',
  reopened: 'Thực hiện lại',
  suspended: 'Tạm dừng',
  cancelled: 'Hủy bỏ',
  waived: 'Không thực hiện',
};

export const PLAN_STATUS_WORDS: Readonly<Record<PlanStatus, string>> = {
  draft: 'Dự thảo',
  awaiting_approval: 'Chờ Ban Thường vụ phê duyệt',
  active: 'Đang thực hiện',
  closed: 'Đã kết thúc',
  stopped: 'Đã dừng',
};

export const PHASE_WORDS: Readonly<Record<Phase, string>> = {
  before: 'Trước Đại hội',
  during: 'Trong Đại hội',
  after: 'Sau Đại hội',
};

export const CONGRESS_LEVEL_WORDS: Readonly<Record<CongressLevel, string>> = {
  national: 'Đại hội toàn quốc',
  city: 'Đại hội cấp thành phố',
  province: 'Đại hội cấp tỉnh',
  district: 'Đại hội cấp huyện',
  grassroots: 'Đại hội cấp cơ sở',
};

/** A plan status word; a status this version does not know is shown as it is. */
export function planStatusWord(status: string): string {
  return (PLAN_STATUS_WORDS as Record<string, string>)[status] ?? status;
}

/** `14/10/2027` from `2027-10-14`. */
export function dayMonthYear(localDate: string): string {
  const [y, m, d] = localDate.split('-');
  return `${d}/${m}/${y}`;
}

/** Kinds of notices, as the Temporal UI's activity summaries name them. */
export const NOTIFICATION_EVENT_WORDS: Readonly<Record<NotificationEvent, string>> = {
  reminder: 'nhắc việc',
  overdue: 'quá hạn',
  escalation: 'báo cáo vượt cấp',
  'approval-requested': 'xin ý kiến',
  'approval-overdue': 'quá hạn cho ý kiến',
  'approval-decided': 'kết quả cho ý kiến',
  contingency: 'phương án dự phòng',
  'check-in': 'giao ban',
};

/** What a plan has due at a moment, as its timer in the Temporal UI names it. */
export const MOMENT_LABELS = {
  reminder: (taskId: string) => `Nhắc hạn ${taskId}`,
  deadline: (taskId: string) => `Hạn ${taskId}`,
  escalation: (taskId: string, level: number) => `Cảnh báo cấp ${level} ${taskId}`,
  commentWindow: 'Hết thời gian góp ý dự thảo',
  approvalDeadline: (approvalId: string) => `Hạn cho ý kiến ${approvalId}`,
  checkIn: 'Giao ban',
  phase: 'Chuyển giai đoạn',
  closing: 'Kết thúc kế hoạch',
} as const;

/** Who an escalation audience is, as the notice names them. */
export const AUDIENCE_NAMES: Readonly<Record<EscalationAudience, string>> = {
  assignee: 'người được giao',
  leadAgencyHead: 'thủ trưởng cơ quan chủ trì',
  unitLead: 'trưởng bộ phận',
  standingSection: 'bộ phận thường trực tiểu ban',
  head: 'trưởng tiểu ban',
};

/** `người được giao, thủ trưởng cơ quan chủ trì và trưởng bộ phận`. */
export function audienceList(audiences: readonly EscalationAudience[]): string {
  const names = [...new Set(audiences.map((a) => AUDIENCE_NAMES[a]))];
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} và ${names[names.length - 1]}`;
}

export const vi = {
  /** Under a congress's current details: its figures are the plans' last reports, not live. */
  congressDetailsNote:
    '_Số liệu theo lần báo cáo gần nhất của từng bộ phận (khi trạng thái, việc quá hạn, cấp cảnh báo hoặc phương ' +
    'án dự phòng thay đổi); số liệu hiện tại xem ở từng kế hoạch._',
  /** A timer's summary: `Hạn TT-01, Nhắc hạn TT-02 — 17:00 ngày 16/07/2027` (at most three named). */
  wakeSummary(labels: readonly string[], at: number, tz: string) {
    const shown = labels.slice(0, 3).join(', ');
    const more = labels.length > 3 ? ` và ${labels.length - 3} việc khác` : '';
    return `${shown || 'Kiểm tra kế hoạch'}${more} — ${formatLocal(at, tz)}`;
  },
  /** Activity summaries in the Temporal UI. */
  activity: {
    notices: (count: number, events: readonly NotificationEvent[]) =>
      `Gửi ${count} thông báo: ${[...new Set(events.map((e) => NOTIFICATION_EVENT_WORDS[e] ?? e))].join(', ')}`,
    report: (kind: 'check-in' | 'closing') => (kind === 'closing' ? 'Ghi báo cáo kết thúc' : 'Ghi báo cáo giao ban'),
    archiveSegment: (key: string) => `Lưu trữ ${key}`,
    archivePlan: 'Lưu trữ kế hoạch',
    whoCancelled: 'Tra cứu người hủy kế hoạch',
  },
  reminder(task: TaskState, deadline: number, before: number, tz: string) {
    return {
      subject: `[Nhắc việc] ${task.title}`,
      text:
        `Nhiệm vụ "${task.title}" (${task.id}) đến hạn lúc ${formatLocal(deadline, tz)}, ` +
        `còn ${formatDuration(before)}. Cơ quan chủ trì: ${task.leadAgency}.`,
    };
  },
  /** Worded from the audiences the step really notifies, whatever its position in a custom ladder. */
  escalation(task: TaskState, deadline: number, level: number, audiences: readonly EscalationAudience[], tz: string) {
    const who = audienceList(audiences);
    return {
      subject: level === 1 ? `[Quá hạn] ${task.title}` : `[Báo cáo vượt cấp ${level}] ${task.title}`,
      text:
        `Nhiệm vụ "${task.title}" (${task.id}) đã quá hạn (hạn ${formatLocal(deadline, tz)}), ` +
        `tiến độ ${task.progress}%. Thông báo tới ${who}. Đề nghị khẩn trương đôn đốc, hoàn thành.`,
    };
  },
  approvalRequested(approval: ApprovalRequest, tz: string) {
    return {
      subject: `[Xin ý kiến] ${approval.title}`,
      text:
        `Đề nghị Ban Thường vụ cho ý kiến: ${approval.title} (mã ${approval.id}). ` +
        `Thời hạn cho ý kiến: ${formatLocal(approval.deadline, tz)}.`,
    };
  },
  approvalOverdue(approval: ApprovalRequest, tz: string) {
    return {
      subject: `[Quá hạn cho ý kiến] ${approval.title}`,
      text:
        `Đề nghị "${approval.title}" (mã ${approval.id}) chưa đủ ý kiến quyết định ` +
        `khi hết hạn ${formatLocal(approval.deadline, tz)}. Kính báo cáo Trưởng Tiểu ban xem xét, quyết định.`,
    };
  },
  approvalDecided(approval: ApprovalRequest) {
    const outcome = approval.status === 'approved' ? 'đã được thông qua' : 'không được thông qua';
    const comments = approval.decisions
      .filter((d) => d.comment)
      .map((d) => `${d.byName}: ${d.comment}`)
      .join('; ');
    return {
      subject: `[Kết quả] ${approval.title}`,
      text: `Đề nghị "${approval.title}" (mã ${approval.id}) ${outcome}.${comments ? ` Ý kiến: ${comments}.` : ''}`,
    };
  },
  contingency(scenarioName: string, active: boolean, emergency: boolean) {
    const what = active
      ? emergency
        ? 'được kích hoạt khẩn cấp (chờ Ban Thường vụ phê chuẩn)'
        : 'được kích hoạt'
      : 'được kết thúc, các nhiệm vụ tạm dừng được tiếp tục';
    return { subject: `[Phương án dự phòng] ${scenarioName}`, text: `Phương án "${scenarioName}" ${what}.` };
  },
  planTitle(plan: Pick<UnitPlanDefinition, 'documentNumber' | 'unitName'>) {
    return `Kế hoạch ${plan.documentNumber ? `số ${plan.documentNumber} ` : ''}của ${plan.unitName}`;
  },
  taskResultTitle(task: Pick<TaskState, 'title'>) {
    return `Kết quả nhiệm vụ: ${task.title}`;
  },
  contingencyRequestTitle(scenarioName: string) {
    return `Kích hoạt phương án: ${scenarioName}`;
  },
  contingencyRatificationTitle(scenarioName: string) {
    return `Phê chuẩn kích hoạt khẩn cấp: ${scenarioName}`;
  },
  archivedCommentsTitle(unitName: string, key: string) {
    return `Ý kiến góp ý dự thảo kế hoạch — ${unitName} (${key})`;
  },
  commentsMarkdown(title: string, comments: Comment[], tz: string) {
    const lines = [`# ${title}`, '', ...comments.map((c) => `- ${formatLocal(c.at, tz)}, ${c.byName}: ${c.text}`)];
    return `${lines.join('\n')}\n`;
  },
  checkIn(unitName: string, at: number, tz: string) {
    return {
      subject: `[Giao ban] ${unitName} — ${formatLocal(at, tz)}`,
      text: `Báo cáo tiến độ kế hoạch của ${unitName} tại kỳ giao ban ${formatLocal(at, tz)}.`,
    };
  },
  extraordinaryCheckIn(unitName: string, at: number, tz: string, reason: string) {
    return {
      subject: `[Giao ban đột xuất] ${unitName} — ${formatLocal(at, tz)}`,
      text: `Báo cáo tiến độ kế hoạch của ${unitName} cho kỳ giao ban đột xuất ${formatLocal(at, tz)}: ${reason}.`,
    };
  },
  /** The plan's "current details" in the Temporal UI (Markdown). */
  currentDetails(d: {
    unitName: string;
    congressName: string;
    summary: PlanSummary;
    pending: ApprovalRequest[];
    plannedVnd: number;
    timeZone: string;
    /** The active contingencies by their scenario names. */
    contingencyNames: string[];
  }) {
    const s = d.summary;
    const lines = [
      `**${d.unitName}** — ${d.congressName}`,
      `Trạng thái: **${planStatusWord(s.status)}** · ${(PHASE_WORDS as Record<string, string>)[s.phase] ?? s.phase} · hoàn thành ${s.done}/${s.total}`,
      `Quá hạn: **${s.overdueCount}** · cấp cảnh báo cao nhất: ${s.highestEscalationLevel}`,
    ];
    if (s.nextDeadline !== undefined) lines.push(`Hạn tiếp theo: ${formatLocal(s.nextDeadline, d.timeZone)}`);
    if (d.contingencyNames.length > 0) lines.push(`Phương án dự phòng đang áp dụng: ${d.contingencyNames.join(', ')}`);
    if (d.pending.length > 0) lines.push(`Chờ Ban Thường vụ: ${d.pending.map((a) => `${a.id} ${a.title}`).join('; ')}`);
    if (d.plannedVnd > 0) lines.push(`Kinh phí: ${formatVnd(d.plannedVnd)}`);
    if (s.failedDeliveries) lines.push(`Thông báo không gửi được: **${s.failedDeliveries}**`);
    return lines.join('\n\n');
  },
  closingReportTitle(unitName: string) {
    return `Báo cáo tổng kết — ${unitName}`;
  },
  checkInReportTitle(unitName: string, at: number, tz: string) {
    return `Báo cáo giao ban ${formatLocal(at, tz)} — ${unitName}`;
  },
  /** A progress report as Markdown, for the standing section's check-in and the closing report. */
  reportMarkdown(title: string, report: ProgressReport, timeZone: string) {
    const at = formatLocal(Date.parse(report.at), timeZone);
    const lines = [
      `# ${title}`,
      '',
      `Đơn vị: **${report.unitName}** (${report.unitCode}) · thời điểm: ${at} · trạng thái kế hoạch: ${planStatusWord(report.planStatus)}`,
      '',
      `| Tổng số | Hoàn thành | Quá hạn | Có nguy cơ chậm | Chờ phê duyệt | Tỷ lệ |`,
      `|---|---|---|---|---|---|`,
      `| ${report.total} | ${report.done} | ${report.overdue} | ${report.atRisk} | ${report.awaitingApproval} | ${report.percentDone}% |`,
      '',
      `Kinh phí kế hoạch: ${formatVnd(report.budget.plannedVnd)}; đã hoàn thành: ${formatVnd(report.budget.doneVnd)}.`,
    ];
    const contingencies = report.activeContingencyNames;
    if (contingencies.length > 0) lines.push('', `Phương án dự phòng đang áp dụng: ${contingencies.join(', ')}.`);
    if (report.overdueTasks.length > 0) {
      lines.push('', '## Nhiệm vụ quá hạn', '');
      for (const t of report.overdueTasks) {
        const due = t.deadline ? formatLocal(Date.parse(t.deadline), timeZone) : '—';
        lines.push(`- ${t.id} ${t.title} — hạn ${due}, chủ trì ${t.leadAgencyName}, cấp cảnh báo ${t.escalationLevel}`);
      }
    }
    return `${lines.join('\n')}\n`;
  },
};
