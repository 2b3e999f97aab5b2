/**
 * Read models of a plan: progress report, overdue tasks, pending approvals, timeline, and the short summary
 * that feeds search attributes and the Temporal UI's current details. Pure functions of state and time.
 */
import { DAY_MS } from '../duration';
import { vi } from '../messages.vi';
import type { ApprovalRequest, PlanState, TaskState, TaskStatus } from '../model';
import { TASK_STATUSES } from '../model';
import { isActionable, isTerminal } from '../transitions';
import { findAgency, isOverdue, orderedTasks } from './state';

/** A task is at risk when its deadline is within this window and it is far from done. */
export const AT_RISK_WINDOW_MS = 7 * DAY_MS;

export function isAtRisk(task: TaskState, now: number): boolean {
  if (task.deadline === undefined || now >= task.deadline || task.deadline - now > AT_RISK_WINDOW_MS) return false;
  return task.status === 'blocked' || (isActionable(task.status) && task.progress < 50);
}

export interface TaskView {
  id: string;
  title: string;
  group: string;
  phase: string;
  status: TaskStatus;
  leadAgency: string;
  coordinatingAgencies: string[];
  responsible?: string;
  deadline?: string;
  progress: number;
  budgetVnd?: number;
  overdue: boolean;
  escalationLevel: number;
  scenario?: string;
  completedAt?: string;
  pendingApprovalId?: string;
}

const iso = (t: number | undefined) => (t === undefined ? undefined : new Date(t).toISOString());

export function taskView(task: TaskState, now: number): TaskView {
  return {
    id: task.id,
    title: task.title,
    group: task.group,
    phase: task.phase,
    status: task.status,
    leadAgency: task.leadAgency,
    coordinatingAgencies: task.coordinatingAgencies ?? [],
    ...(task.responsible ? { responsible: task.responsible } : {}),
    ...(task.deadline !== undefined ? { deadline: iso(task.deadline) } : {}),
    progress: task.progress,
    ...(task.budgetVnd !== undefined ? { budgetVnd: task.budgetVnd } : {}),
    overdue: isOverdue(task, now),
    escalationLevel: task.escalation?.firedSteps.length ?? 0,
    ...(task.scenario ? { scenario: task.scenario } : {}),
    ...(task.completedAt !== undefined ? { completedAt: iso(task.completedAt) } : {}),
    ...(task.pendingApprovalId ? { pendingApprovalId: task.pendingApprovalId } : {}),
  };
}

export interface ApprovalView {
  id: string;
  kind: string;
  title: string;
  subject: ApprovalRequest['subject'];
  status: ApprovalRequest['status'];
  quorum: ApprovalRequest['quorum'];
  approvers: string[];
  requestedBy: string;
  requestedAt: string;
  deadline: string;
  escalated: boolean;
  decisions: Array<{ by: string; byName: string; decision: string; comment?: string; at: string }>;
}

export function approvalView(a: ApprovalRequest): ApprovalView {
  return {
    id: a.id,
    kind: a.subject.kind,
    title: a.title,
    subject: a.subject,
    status: a.status,
    quorum: a.quorum,
    approvers: a.approvers,
    requestedBy: a.requestedBy,
    requestedAt: iso(a.requestedAt)!,
    deadline: iso(a.deadline)!,
    escalated: a.escalatedAt !== undefined,
    decisions: a.decisions.map((d) => ({ ...d, at: iso(d.at)! })),
  };
}

export function pendingApprovals(state: PlanState): ApprovalView[] {
  return Object.values(state.approvals)
    .filter((a) => a.status === 'pending')
    .map(approvalView);
}

export function overdueTasks(state: PlanState, now: number): TaskView[] {
  return orderedTasks(state)
    .filter((t) => isOverdue(t, now))
    .map((t) => taskView(t, now));
}

export interface ProgressReport {
  unitCode: string;
  unitName: string;
  at: string;
  planStatus: string;
  phase: string;
  total: number;
  byStatus: Record<TaskStatus, number>;
  done: number;
  overdue: number;
  atRisk: number;
  awaitingApproval: number;
  pendingApprovals: number;
  activeContingencies: string[];
  /** The same by their scenario names, for what people read. */
  activeContingencyNames: string[];
  budget: { plannedVnd: number; doneVnd: number };
  percentDone: number;
  overdueTasks: Array<{
    id: string;
    title: string;
    deadline?: string;
    escalationLevel: number;
    leadAgency: string;
    leadAgencyName: string;
  }>;
}

export function progressReport(state: PlanState, now: number): ProgressReport {
  const tasks = orderedTasks(state);
  const byStatus = Object.fromEntries(TASK_STATUSES.map((s) => [s, 0])) as Record<TaskStatus, number>;
  let planned = 0;
  let spentDone = 0;
  for (const t of tasks) {
    byStatus[t.status]++;
    if (t.status !== 'cancelled' && t.status !== 'waived') planned += t.budgetVnd ?? 0;
    if (t.status === 'done') spentDone += t.budgetVnd ?? 0;
  }
  const overdue = tasks.filter((t) => isOverdue(t, now));
  const counted = tasks.filter((t) => t.status !== 'cancelled' && t.status !== 'waived').length;
  return {
    unitCode: state.definition.unitCode,
    unitName: state.definition.unitName,
    at: new Date(now).toISOString(),
    planStatus: state.status,
    phase: state.phase,
    total: tasks.length,
    byStatus,
    done: byStatus.done,
    overdue: overdue.length,
    atRisk: tasks.filter((t) => isAtRisk(t, now)).length,
    awaitingApproval: byStatus.awaiting_approval,
    pendingApprovals: Object.values(state.approvals).filter((a) => a.status === 'pending').length,
    activeContingencies: activeContingencies(state),
    activeContingencyNames: activeContingencyNames(state),
    budget: { plannedVnd: planned, doneVnd: spentDone },
    percentDone: counted === 0 ? 100 : Math.round((byStatus.done / counted) * 100),
    overdueTasks: overdue.map((t) => ({
      id: t.id,
      title: t.title,
      deadline: iso(t.deadline),
      escalationLevel: t.escalation?.firedSteps.length ?? 0,
      leadAgency: t.leadAgency,
      leadAgencyName: findAgency(state, t.leadAgency)?.name ?? t.leadAgency,
    })),
  };
}

/** The active contingencies by their scenario names (codes for a scenario the plan does not define). */
export function activeContingencyNames(state: PlanState): string[] {
  return activeContingencies(state).map(
    (code) => state.definition.scenarios.find((sc) => sc.code === code)?.name ?? code,
  );
}

export function activeContingencies(state: PlanState): string[] {
  return Object.values(state.contingencies)
    .filter((c) => c.status === 'active')
    .map((c) => c.code);
}

/** What goes into search attributes: kept small, recomputed after every change. */
export interface PlanSummary {
  congressId: string;
  unitCode: string;
  status: string;
  phase: string;
  overdueCount: number;
  nextDeadline?: number;
  highestEscalationLevel: number;
  activeContingencies: string[];
  assignees: string[];
  agencies: string[];
  pendingApprovalGroups: string[];
  pendingApprovers: string[];
  done: number;
  total: number;
  /** Deliveries that failed for good (see `failedDeliveries` in the state); absent in summaries built elsewhere. */
  failedDeliveries?: number;
}

export function planSummary(state: PlanState, now: number): PlanSummary {
  const tasks = orderedTasks(state);
  const open = tasks.filter((t) => !isTerminal(t.status));
  const upcoming = open
    .filter((t) => t.status !== 'suspended' && t.deadline !== undefined && t.deadline > now)
    .map((t) => t.deadline!);
  const pending = Object.values(state.approvals).filter((a) => a.status === 'pending');
  return {
    congressId: state.congress.id,
    unitCode: state.definition.unitCode,
    status: state.status,
    phase: state.phase,
    overdueCount: tasks.filter((t) => isOverdue(t, now)).length,
    ...(upcoming.length > 0 ? { nextDeadline: Math.min(...upcoming) } : {}),
    highestEscalationLevel: Math.max(0, ...open.map((t) => t.escalation?.firedSteps.length ?? 0)),
    activeContingencies: activeContingencies(state),
    assignees: [...new Set(open.map((t) => t.responsible).filter((r): r is string => !!r))].sort(),
    agencies: [...new Set(open.flatMap((t) => [t.leadAgency, ...(t.coordinatingAgencies ?? [])]))].sort(),
    pendingApprovalGroups: [...new Set(pending.map((a) => `standing-committee:${a.subject.kind}`))].sort(),
    pendingApprovers: [
      ...new Set(pending.flatMap((a) => a.approvers.filter((id) => !a.decisions.some((d) => d.by === id)))),
    ].sort(),
    done: tasks.filter((t) => t.status === 'done').length,
    total: tasks.length,
    failedDeliveries: state.failedDeliveries?.length ?? 0,
  };
}

/** Markdown for the Temporal UI's "current details"; pass the summary when the caller already has it. */
export function currentDetails(state: PlanState, now: number, s: PlanSummary = planSummary(state, now)): string {
  let plannedVnd = 0;
  for (const t of orderedTasks(state)) {
    if (t.status !== 'cancelled' && t.status !== 'waived') plannedVnd += t.budgetVnd ?? 0;
  }
  const pending = Object.values(state.approvals).filter((a) => a.status === 'pending');
  return vi.currentDetails({
    unitName: state.definition.unitName,
    congressName: state.congress.name,
    summary: s,
    pending,
    plannedVnd,
    timeZone: state.congress.timeZone,
    contingencyNames: activeContingencyNames(state),
  });
}

export interface TimelineEntry {
  at: string;
  kind: 'deadline' | 'completed' | 'audit';
  taskId?: string;
  text: string;
}

/** Past events from the audit log and upcoming deadlines, in time order. */
export function timeline(state: PlanState, now: number, limit = 200): TimelineEntry[] {
  const past: TimelineEntry[] = state.audit.map((e) => ({
    at: iso(e.at)!,
    kind: 'audit',
    ...(e.target ? { taskId: e.target } : {}),
    text: `${e.action}${e.target ? ` ${e.target}` : ''} by ${e.actor}${e.reason ? `: ${e.reason}` : ''}`,
  }));
  const upcoming: TimelineEntry[] = orderedTasks(state)
    .filter((t) => !isTerminal(t.status) && t.deadline !== undefined && t.deadline >= now)
    .map((t) => ({ at: iso(t.deadline)!, kind: 'deadline', taskId: t.id, text: `due: ${t.title}` }));
  return [...past.slice(-limit), ...upcoming.sort((a, b) => a.at.localeCompare(b.at)).slice(0, limit)];
}

/** A progress report as Markdown, in Vietnamese, for the standing section's check-in and the closing report. */
export function reportMarkdown(title: string, report: ProgressReport, timeZone: string): string {
  return vi.reportMarkdown(title, report, timeZone);
}
