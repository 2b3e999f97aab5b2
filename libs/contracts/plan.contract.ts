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
} satisfies { [T in PlanCommandType]: unknown };

/**
 * Fire-and-forget: the congress workflow relays moves of congress day, congress-wide contingencies and other
 * units' completions with this signal. A command that cannot apply is recorded in the audit log, not lost.
 */
export const planCommandSignal = defineSignal<[PlanCommand]>('planCommand');

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
  /** The whole state, for the archive, replays and debugging. */
  state: defineQuery<PlanState>('state'),
};
