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
  /** The whole state, for the archive, replays and debugging. */
  state: defineQuery<PlanState>('state'),
};

/** What each message does, shown beside it in the Temporal UI and CLI. */
export const PLAN_COMMAND_DESCRIPTIONS: Readonly<Record<PlanCommandType, string>> = {
  reportProgress: 'Report progress on a task (0-99%)',
  completeTask: 'Complete a task (or send it for approval when it needs one)',
  addTask: 'Add a task to the running plan',
  editTask: "Edit a task's title, person, coordinating agencies, budget or deliverable",
  reassignTask: 'Reassign a task to another lead agency or person',
  reassignAgency: 'Move every open task of an agency to another (merged agencies)',
  changeDeadline: "Change a task's deadline (starts a new overdue episode)",
  waiveTask: 'Waive a task',
  acknowledgeEscalation: 'Acknowledge an escalation and take ownership: the climb holds for a while',
  decide: 'Approve or reject a pending approval (Standing Committee)',
  submitComment: 'A written comment on the draft plan',
  submitPlanForApproval: 'Send the draft plan to the Standing Committee',
  requestContingency: 'Request activation of a contingency scenario',
  activateContingencyEmergency: 'Emergency activation by the head, ratified later',
  deactivateContingency: 'End a contingency: its tasks are cancelled, suspended tasks resume',
  moveCongressDay: 'Congress day moved: every relative deadline is recomputed',
  externalTaskCompleted: "Another unit's task this plan depends on is done (relayed by the congress)",
  watchTask: 'Another unit depends on this task: announce its completion to the congress',
  congressContingency: 'A congress-wide contingency switched on or off',
  stopPlan: 'Stop the plan: pending approvals are withdrawn and the plan is archived',
  checkInNow: 'A check-in report now, for an extraordinary meeting (regular check-ins keep their dates)',
};

export const PLAN_QUERY_DESCRIPTIONS: Readonly<Record<keyof typeof planQueries, string>> = {
  view: 'The plan: tasks, approvals, contingencies and summary',
  overdue: 'Overdue tasks',
  pendingApprovals: 'Approvals waiting for a decision',
  approvals: 'Every approval request, with decisions',
  timeline: 'What happened and what is due next',
  audit: 'Audit log entries held in the state (paged)',
  escalations: 'Tasks on the escalation ladder and the steps fired',
  report: 'Progress report: done, overdue, at risk, awaiting approval, budget',
  state: 'The whole state (archive, debugging)',
};
