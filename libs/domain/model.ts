/**
 * The plan model: what a congress and a support unit's plan are made of (definitions, as people write them)
 * and the running state a plan workflow carries (times as epoch milliseconds, JSON-serialisable).
 */
import type { CalendarConfig } from './calendar';

// ---------------------------------------------------------------------------------------------------------
// Definitions

export type CongressLevel = 'national' | 'city' | 'province' | 'district' | 'grassroots';
export const CONGRESS_LEVELS: readonly CongressLevel[] = ['national', 'city', 'province', 'district', 'grassroots'];

export interface Person {
  /** Stable identifier, the `sub` of the person's token. */
  id: string;
  name: string;
  title?: string;
  email?: string;
}

export interface SubcommitteePeople {
  /** Trưởng Tiểu ban: top of the escalation ladder. */
  head: Person;
  deputyHeads: Person[];
  /** Bộ phận Thường trực: collects comments, urges and inspects. */
  standingSection: Person[];
  /** Ban Thường vụ: the approvers. */
  standingCommittee: Person[];
}

export interface CongressDefinition {
  /** URL-safe key, e.g. `dh-tinh-xx-2020`: part of every workflow ID. */
  id: string;
  name: string;
  level: CongressLevel;
  /** First and last congress day as local dates in `timeZone`. */
  startDate: string;
  endDate: string;
  timeZone?: string;
  people: SubcommitteePeople;
}

export type Phase = 'before' | 'during' | 'after';
export const PHASES: readonly Phase[] = ['before', 'during', 'after'];

export type CheckInCadence = 'monthly' | 'quarterly' | 'yearly' | 'none';
export const CHECK_IN_CADENCES: readonly CheckInCadence[] = ['monthly', 'quarterly', 'yearly', 'none'];

export type Quorum = 'any' | 'majority' | 'all';
export const QUORUMS: readonly Quorum[] = ['any', 'majority', 'all'];

/** Who an escalation step notifies. */
export type EscalationAudience = 'assignee' | 'leadAgencyHead' | 'unitLead' | 'standingSection' | 'head';
export const ESCALATION_AUDIENCES: readonly EscalationAudience[] = [
  'assignee',
  'leadAgencyHead',
  'unitLead',
  'standingSection',
  'head',
];

export interface EscalationStep {
  /** Time after the deadline at which this step fires, e.g. `0m`, `2d`. Steps are in increasing order. */
  after: string;
  notify: EscalationAudience[];
}

export interface ApprovalPolicy {
  /** Person ids allowed to decide; default: the congress's Standing Committee. */
  approvers?: string[];
  quorum: Quorum;
  /** How long approvers have to decide before the head is alerted, e.g. `5d`. */
  decisionWindow: string;
  /** Whether the plan itself must be approved before it runs (draft → comments → Standing Committee). */
  planRequiresApproval: boolean;
  /** How long members may send written comments on the draft before it goes to the Standing Committee. */
  commentWindow?: string;
}

export interface Agency {
  /** Short code, e.g. `VPTU`, `CA-TINH`. */
  code: string;
  name: string;
  /** Person id of the agency's head (người đứng đầu). */
  head?: string;
}

export interface TaskDefinition {
  id: string;
  title: string;
  /** Id of one of the plan's task groups. */
  group: string;
  phase: Phase;
  leadAgency: string;
  coordinatingAgencies?: string[];
  /** Person id of the responsible individual. */
  responsible?: string;
  /**
   * When it is due: an instant (`2026-01-10T17:00:00+07:00`), relative to congress day (`T-30d`, `T-10wd`,
   * `T+1d@08:00`, `E+7d` from the last congress day), after another task's completion (`after:P-01+5d`),
   * or, for a contingency's tasks, after its activation (`A+2d`).
   */
  due: string;
  /** Ids of tasks in this plan, or `UNIT:taskId` for a task of another unit of the same congress. */
  dependsOn?: string[];
  budgetVnd?: number;
  requiresApproval?: boolean;
  deliverable?: string;
}

export interface TaskGroup {
  id: string;
  name: string;
}

export interface ContingencyScenario {
  /** e.g. `epidemic`, `security-incident`, `food-safety`, `venue-unavailable`. */
  code: string;
  name: string;
  description?: string;
  /** Tasks added when the scenario is activated; `A+…` deadlines count from activation. */
  tasks: TaskDefinition[];
  /** Ids of the plan's tasks that stop while the scenario is active. */
  suspends: string[];
  /** Whether activation needs the Standing Committee's approval (default true). */
  requiresApproval?: boolean;
}

export interface UnitPlanDefinition {
  /** e.g. `BPTT` (Bộ phận tuyên truyền). URL-safe: part of the workflow ID. */
  unitCode: string;
  unitName: string;
  unitNameEn?: string;
  /** Person id of the unit's lead. */
  unitLead: string;
  /** e.g. `03-KH/TB-BPTT`. */
  documentNumber?: string;
  people?: Person[];
  agencies: Agency[];
  groups: TaskGroup[];
  tasks: TaskDefinition[];
  /** Reminders before each deadline, e.g. `["7d","1d"]`. */
  reminders: string[];
  escalationLadder: EscalationStep[];
  approvalPolicy: ApprovalPolicy;
  scenarios: ContingencyScenario[];
  checkInCadence: CheckInCadence;
  /**
   * Besides the cadence, a check-in every Monday at 08:00 in this last stretch before congress day (a duration,
   * e.g. `28d`: the final four weeks).
   */
  weeklyCheckInsBefore?: string;
  calendar?: CalendarConfig;
  /** How long after the last congress day the plan stays open for its after-phase tasks (default `30d`). */
  closeAfter?: string;
}

// ---------------------------------------------------------------------------------------------------------
// Running state

export type TaskStatus =
  | 'blocked' // waiting on a prerequisite
  | 'open'
  | 'in_progress'
  | 'awaiting_approval'
  | 'done'
  | 'reopened' // sent back by a rejected approval
  | 'suspended' // stopped by an active contingency
  | 'cancelled'
  | 'waived';
export const TASK_STATUSES: readonly TaskStatus[] = [
  'blocked',
  'open',
  'in_progress',
  'awaiting_approval',
  'done',
  'reopened',
  'suspended',
  'cancelled',
  'waived',
];
export const TERMINAL_TASK_STATUSES: readonly TaskStatus[] = ['done', 'cancelled', 'waived'];

export interface Actor {
  id: string;
  name: string;
  roles: string[];
}

/** The engine itself, for transitions it makes on its own (unblocking, escalating, closing). */
export const SYSTEM_ACTOR: Actor = { id: 'system', name: 'tminus', roles: ['system'] };

export interface EscalationState {
  /** The deadline this overdue episode is about; a new deadline starts a new episode. */
  episodeDeadline: number;
  /** Indexes of ladder steps fired in this episode. */
  firedSteps: number[];
  /** Acknowledged by someone who took ownership: the climb holds until then. */
  holdUntil?: number;
  acknowledgedBy?: string;
}

export interface TaskState extends TaskDefinition {
  status: TaskStatus;
  /** Resolved deadline (epoch ms), undefined while it depends on something that has not happened. */
  deadline?: number;
  progress: number;
  completedAt?: number;
  /** Set for tasks added by a contingency scenario. */
  scenario?: string;
  /** Reminder keys (`<deadline>:<offset>`) already sent, so that each fires once per deadline. */
  remindersSent: string[];
  escalation?: EscalationState;
  suspendedAt?: number;
  /** Time left to the deadline when the task was suspended (never negative). */
  remainingAtSuspension?: number;
  /** Status to return to when the suspension ends. */
  statusBeforeSuspension?: TaskStatus;
  /** Deadline to use while resumed, instead of the resolved one (max of resolved and now+remaining). */
  resumedDeadline?: number;
  /**
   * Time added to the resolved deadline after resuming from a contingency (plans under the
   * `relativeResumedDeadlines` rule): the deadline stays relative and follows later moves of congress day.
   */
  resumeExtensionMs?: number;
  pendingApprovalId?: string;
  /** Active scenarios holding this task suspended. */
  suspendedBy?: string[];
}

export type ApprovalSubject =
  | { kind: 'plan' }
  | { kind: 'task'; taskId: string }
  | { kind: 'contingency'; scenario: string; ratification: boolean };

export type ApprovalStatus = 'pending' | 'approved' | 'rejected' | 'withdrawn';

export interface Decision {
  by: string;
  byName: string;
  decision: 'approve' | 'reject';
  comment?: string;
  at: number;
}

export interface ApprovalRequest {
  id: string;
  subject: ApprovalSubject;
  title: string;
  requestedBy: string;
  requestedAt: number;
  approvers: string[];
  quorum: Quorum;
  deadline: number;
  status: ApprovalStatus;
  decisions: Decision[];
  /** The head was alerted because the deadline passed; the head may then decide alone. */
  escalatedAt?: number;
  resolvedAt?: number;
}

export interface ContingencyState {
  code: string;
  status: 'inactive' | 'requested' | 'active';
  activatedAt?: number;
  activatedBy?: string;
  emergency?: boolean;
  /** Pending approval (request, or ratification of an emergency activation). */
  approvalId?: string;
}

export interface AuditEntry {
  seq: number;
  at: number;
  actor: string;
  action: string;
  target?: string;
  reason?: string;
  details?: Record<string, unknown>;
}

export interface Comment {
  by: string;
  byName: string;
  at: number;
  text: string;
}

export type PlanStatus = 'draft' | 'awaiting_approval' | 'active' | 'closed' | 'stopped';
export const PLAN_STATUSES: readonly PlanStatus[] = ['draft', 'awaiting_approval', 'active', 'closed', 'stopped'];

/** What an effect asks the outside world to do; executed by activities, idempotent by `key`. */
export type Effect =
  | {
      kind: 'notify';
      key: string;
      event: NotificationEvent;
      recipients: Person[];
      subject: string;
      text: string;
      taskId?: string;
      level?: number;
    }
  | { kind: 'report'; key: string; report: 'check-in' | 'closing'; at: number }
  | { kind: 'archive'; key: string; at: number }
  /** The oldest audit entries, moved out of the state to the archive so that the state stays small. */
  | { kind: 'audit-segment'; key: string; entries: AuditEntry[] }
  /** The oldest written comments, moved to the archive the same way. */
  | { kind: 'comment-segment'; key: string; comments: Comment[] }
  /** Tell the congress that a task other units depend on is done. */
  | { kind: 'task-completed'; key: string; taskId: string; at: number }
  /** Ask the congress to relay another unit's task completion (`UNIT:taskId`) to this plan. */
  | { kind: 'dependency-wanted'; key: string; ref: string };

export type NotificationEvent =
  | 'reminder'
  | 'overdue'
  | 'escalation'
  | 'approval-requested'
  | 'approval-overdue'
  | 'approval-decided'
  | 'contingency'
  | 'check-in';

export interface CongressSchedule {
  startDate: string;
  endDate: string;
  timeZone: string;
}

export interface PlanState {
  schemaVersion: 1;
  congress: CongressDefinition & { timeZone: string };
  definition: Omit<UnitPlanDefinition, 'tasks'>;
  status: PlanStatus;
  phase: Phase;
  startedAt: number;
  tasks: Record<string, TaskState>;
  /** Task ids in definition order (insertion order of `tasks` is not relied upon). */
  taskOrder: string[];
  /** Completion times of other units' tasks this plan depends on, by `UNIT:taskId`. */
  externalCompletions: Record<string, number>;
  approvals: Record<string, ApprovalRequest>;
  contingencies: Record<string, ContingencyState>;
  comments: Comment[];
  /** How many of the oldest comments were moved to the archive (they precede `comments`). */
  commentsArchived?: number;
  audit: AuditEntry[];
  /** Effects produced but not yet carried out. */
  outbox: Effect[];
  /** Task ids other units depend on: their completion is announced to the congress. */
  watchedTasks: string[];
  /** While a draft: when the comment window ends and the plan goes to the Standing Committee. */
  draftUntil?: number;
  nextCheckInAt?: number;
  closesAt: number;
  closedAt?: number;
  /**
   * Results of recent commands by request id, so that a retried request returns the first result. `at` (when it
   * was processed) is set under the idempotency window rule; `fingerprint` is then a hash of the request.
   */
  processedRequests: Array<{ id: string; type?: string; fingerprint?: string; result: unknown; at?: number }>;
  /** Deliveries that failed for good (after every retry), by effect key: shown in the view and searchable. */
  failedDeliveries?: FailedDelivery[];
  counters: { audit: number; approval: number; effect: number };
  /** Behaviour switches set by the workflow for its version (see workflows/versions.ts). */
  rules?: PlanRules;
}

export interface PlanRules {
  /**
   * A task resuming after a contingency gets at least this long before its deadline, even if it was already
   * overdue when it was suspended (otherwise it would escalate again the moment it resumes).
   */
  minimumResumeWindowMs?: number;
  /**
   * How many audit entries the state keeps; older ones are written to the archive in segments. Unset: all are
   * kept (plans started before this rule).
   */
  auditKeptInState?: number;
  /** Written comments the state keeps; older ones go to the archive. Unset: all are kept. */
  commentsKeptInState?: number;
  /** A task resumed after a contingency keeps a deadline relative to its due time (follows congress day). */
  relativeResumedDeadlines?: boolean;
  /**
   * How long a request id is remembered (ms). Unset: the last 500 request ids, whatever their age (plans
   * started before this rule).
   */
  idempotencyWindowMs?: number;
  /** Largest serialized state (UTF-8 bytes) a command may leave. Unset: no budget (older plans). */
  stateBudgetBytes?: number;
  /**
   * Working days count Tết and Giỗ Tổ from the published table of 2020–2031 that plans started before the
   * lunar computation used (with its two wrong dates, and no lunar holidays outside those years), so that
   * they replay unchanged. Unset: the lunar computation (every plan started since).
   */
  legacyHolidayTable?: boolean;
}

export interface FailedDelivery {
  key: string;
  kind: Effect['kind'];
  at: number;
  error: string;
  /** The notification's event and task, when it was one. */
  event?: string;
  taskId?: string;
}
