/**
 * The unit plan workflow's contract: input, updates, signals and queries. Plain definitions (no workflow
 * code), importable by the API, the worker and the congress workflow alike.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type {
  ApprovalView,
  AuditEntry,
  CommandResult,
  CongressDefinition,
  FailedDelivery,
  PlanCommand,
  PlanCommandOf,
  PlanCommandType,
  PlanState,
  PlanSummary,
  ProgressReport,
  TaskView,
  TimelineEntry,
  UnitPlanDefinition,
} from '../domain';

export const UNIT_PLAN_WORKFLOW_TYPE = 'unitPlanWorkflow';

export interface UnitPlanRunOptions {
  /** Continue-as-new once the history has this many events, besides when the server suggests it (tests, ops). */
  continueAsNewAfterEvents?: number;
  /** Audit entries kept in the state before older ones go to the archive (default 2000). */
  auditKeptInState?: number;
  /** Written comments kept in the state before older ones go to the archive (default 50). */
  commentsKeptInState?: number;
  /** The state budget in bytes (default 1 MiB); tests set a small one to reach it quickly. */
  stateBudgetBytes?: number;
}

export type UnitPlanInput =
  | {
      kind: 'start';
      congress: CongressDefinition;
      plan: UnitPlanDefinition;
      watchedTasks?: string[];
      options?: UnitPlanRunOptions;
    }
  /** Continue-as-new carries the whole state and the summary last sent to the congress. */
  | { kind: 'resume'; state: PlanState; lastSentProgress?: string; options?: UnitPlanRunOptions };

export interface UnitPlanResult {
  unitCode: string;
  status: string;
  report: ProgressReport;
}

/** One update per command: the caller gets the result or a typed failure (INVALID_INPUT, NOT_FOUND, …). */
export type PlanCommandPayload<T extends PlanCommandType> = PlanCommandOf<T>;

const commandUpdate = <T extends PlanCommandType>(type: T) =>
  defineUpdate<CommandResult, [PlanCommandPayload<T>], T>(type);

export const planUpdates = {
  reportProgress: commandUpdate('reportProgress'),
  completeTask: commandUpdate('completeTask'),
  addTask: commandUpdate('addTask'),
  editTask: commandUpdate('editTask'),
  reassignTask: commandUpdate('reassignTask'),
  reassignAgency: commandUpdate('reassignAgency'),
  changeDeadline: commandUpdate('changeDeadline'),
  waiveTask: commandUpdate('waiveTask'),
  acknowledgeEscalation: commandUpdate('acknowledgeEscalation'),
  decide: commandUpdate('decide'),
  submitComment: commandUpdate('submitComment'),
  submitPlanForApproval: commandUpdate('submitPlanForApproval'),
  requestContingency: commandUpdate('requestContingency'),
  activateContingencyEmergency: commandUpdate('activateContingencyEmergency'),
  deactivateContingency: commandUpdate('deactivateContingency'),
  moveCongressDay: commandUpdate('moveCongressDay'),
  externalTaskCompleted: commandUpdate('externalTaskCompleted'),
  watchTask: commandUpdate('watchTask'),
  congressContingency: commandUpdate('congressContingency'),
  stopPlan: commandUpdate('stopPlan'),
  checkInNow: commandUpdate('checkInNow'),
} satisfies { [T in PlanCommandType]: unknown };

/**
 * Fire-and-forget: the congress workflow relays moves of congress day, congress-wide contingencies and other
 * units' completions with this signal. A command that cannot apply is recorded in the audit log, not lost.
 */
export const planCommandSignal = defineSignal<[PlanCommand]>('planCommand');

/**
 * The congress's own channel to its plans: only system commands (moveCongressDay, externalTaskCompleted,
 * watchTask, congressContingency), which are never updates. Anything else sent here is refused and recorded.
 */
export const congressRelaySignal = defineSignal<[PlanCommand]>('congressRelay');

export interface PlanView {
  workflowId: string;
  congress: { id: string; name: string; startDate: string; endDate: string; timeZone: string };
  unit: { code: string; name: string; nameEn?: string; lead: string; documentNumber?: string };
  status: PlanState['status'];
  phase: PlanState['phase'];
  summary: PlanSummary;
  tasks: TaskView[];
  pendingApprovals: ApprovalView[];
  contingencies: Array<{ code: string; name: string; status: string; activatedAt?: string; emergency?: boolean }>;
  comments: PlanState['comments'];
  /** How many older comments were moved to the archive (they come before `comments`). */
  commentsArchived?: number;
  /** Deliveries that failed for good (after every retry): notices nobody received. */
  failedDeliveries?: FailedDelivery[];
  closesAt: string;
}

export const planQueries = {
  view: defineQuery<PlanView>('view'),
  overdue: defineQuery<TaskView[]>('overdue'),
  pendingApprovals: defineQuery<ApprovalView[]>('pendingApprovals'),
  approvals: defineQuery<ApprovalView[]>('approvals'),
  timeline: defineQuery<TimelineEntry[]>('timeline'),
  /**
   * The audit entries the state holds, paged; `archivedThroughSeq` says up to which entry the older ones were
   * moved to the archive (files audit/audit-<from>-<to>.json in the reports folder).
   */
  audit: defineQuery<
    { entries: AuditEntry[]; total: number; archivedThroughSeq: number },
    [{ offset?: number; limit?: number }?]
  >('audit'),
  escalations:
    defineQuery<Array<TaskView & { firedLevels: number[]; holdUntil?: string; acknowledgedBy?: string }>>(
      'escalations',
    ),
  report: defineQuery<ProgressReport>('report'),
  /** The figures of the plan's search attributes, live (the congress view reads them for its running plans). */
  summary: defineQuery<PlanSummary>('summary'),
  /** The whole state, for the archive, replays and debugging. */
  state: defineQuery<PlanState>('state'),
};

/** What each message does, shown beside it in the Temporal UI and CLI (read by ops staff: Vietnamese). */
export const PLAN_COMMAND_DESCRIPTIONS: Readonly<Record<PlanCommandType, string>> = {
  reportProgress: 'Báo cáo tiến độ một nhiệm vụ (0-99%)',
  completeTask: 'Hoàn thành nhiệm vụ (hoặc trình duyệt nếu nhiệm vụ cần phê duyệt)',
  addTask: 'Bổ sung nhiệm vụ vào kế hoạch đang chạy',
  editTask: 'Sửa tên, người phụ trách, cơ quan phối hợp, kinh phí hoặc sản phẩm của nhiệm vụ',
  reassignTask: 'Giao lại nhiệm vụ cho cơ quan chủ trì hoặc người khác',
  reassignAgency: 'Chuyển mọi nhiệm vụ chưa xong của một cơ quan sang cơ quan khác (sáp nhập)',
  changeDeadline: 'Đổi thời hạn nhiệm vụ (tính lại từ đầu việc quá hạn)',
  waiveTask: 'Miễn thực hiện nhiệm vụ',
  acknowledgeEscalation: 'Nhận xử lý một cảnh báo vượt cấp: tạm dừng leo thang một thời gian',
  decide: 'Phê duyệt hoặc không phê duyệt một đề nghị (Ban Thường vụ)',
  submitComment: 'Góp ý bằng văn bản vào dự thảo kế hoạch',
  submitPlanForApproval: 'Trình dự thảo kế hoạch lên Ban Thường vụ',
  requestContingency: 'Đề nghị kích hoạt phương án dự phòng',
  activateContingencyEmergency: 'Trưởng Tiểu ban kích hoạt khẩn cấp phương án dự phòng, phê chuẩn sau',
  deactivateContingency: 'Kết thúc phương án dự phòng: hủy nhiệm vụ của phương án, nhiệm vụ tạm dừng được tiếp tục',
  moveCongressDay: 'Đổi ngày Đại hội: tính lại mọi thời hạn theo ngày Đại hội',
  externalTaskCompleted: 'Nhiệm vụ của bộ phận khác mà kế hoạch này chờ đã xong (Đại hội chuyển tin)',
  watchTask: 'Bộ phận khác chờ nhiệm vụ này: báo cho Đại hội khi nhiệm vụ xong',
  congressContingency: 'Phương án dự phòng toàn Đại hội được bật hoặc tắt',
  stopPlan: 'Dừng kế hoạch: rút các đề nghị đang chờ và lưu trữ kế hoạch',
  checkInNow: 'Lập báo cáo giao ban ngay cho cuộc họp đột xuất (giao ban định kỳ giữ nguyên lịch)',
};

export const PLAN_QUERY_DESCRIPTIONS: Readonly<Record<keyof typeof planQueries, string>> = {
  view: 'Kế hoạch: nhiệm vụ, phê duyệt, phương án dự phòng và tóm tắt',
  overdue: 'Nhiệm vụ quá hạn',
  pendingApprovals: 'Đề nghị đang chờ quyết định',
  approvals: 'Mọi đề nghị phê duyệt, kèm ý kiến',
  timeline: 'Việc đã diễn ra và việc sắp đến hạn',
  audit: 'Nhật ký trong trạng thái kế hoạch (theo trang)',
  escalations: 'Nhiệm vụ đang leo thang cảnh báo và các cấp đã báo',
  report: 'Báo cáo tiến độ: đã xong, quá hạn, có nguy cơ, chờ duyệt, kinh phí',
  summary: 'Tóm tắt: trạng thái, số nhiệm vụ đã xong, quá hạn, cấp cảnh báo',
  state: 'Toàn bộ trạng thái (lưu trữ, gỡ lỗi)',
};
