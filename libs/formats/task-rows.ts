/**
 * A plan's tasks as the rows of the office's task sheet: names instead of codes, deadlines in local time,
 * days overdue and the reporting category. Pure: the same rows feed the xlsx, the CSV and the Word tables.
 */
import {
  DAY_MS,
  localDateOf,
  localMinuteOfDay,
  orderedTasks,
  peopleDirectory,
  type PlanState,
  type TaskState,
} from '../domain';
import { PHASE_WORDS, REPORTING_CATEGORY_WORDS, TASK_STATUS_WORDS, type ReportingCategory } from './words.vi';

export interface TaskRow {
  no: number;
  id: string;
  groupId: string;
  group: string;
  title: string;
  phase: string;
  leadAgency: string;
  coordinatingAgencies: string[];
  responsible?: string;
  /** The due expression as written in the plan (`T-30d`, `after:TT-01+5d`, an instant). */
  due: string;
  /** Resolved deadline (epoch ms) and its local wall-clock parts in the congress's zone. */
  deadline?: number;
  deadlineLocal?: LocalDateTime;
  budgetVnd?: number;
  progress: number;
  daysOverdue: number;
  category: ReportingCategory;
  categoryWord: string;
  status: string;
  dependsOn: string[];
  deliverable?: string;
  /** Undefined when the plan does not say (the sheet leaves the cell empty). */
  requiresApproval?: boolean;
  scenario?: string;
}

export interface LocalDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

export function localDateTime(instant: number, timeZone: string): LocalDateTime {
  const [year, month, day] = localDateOf(instant, timeZone).split('-').map(Number);
  const minutes = localMinuteOfDay(instant, timeZone);
  return { year, month, day, hour: Math.floor(minutes / 60), minute: minutes % 60 };
}

const two = (n: number) => String(n).padStart(2, '0');

/** `16/07/2027 17:00`. */
export function formatLocalDateTime(t: LocalDateTime): string {
  return `${two(t.day)}/${two(t.month)}/${t.year} ${two(t.hour)}:${two(t.minute)}`;
}

/** `16/07/2027`. */
export function formatLocalDate(t: Pick<LocalDateTime, 'year' | 'month' | 'day'>): string {
  return `${two(t.day)}/${two(t.month)}/${t.year}`;
}

/** The deadline that counts now: a resumed task's own deadline, else the resolved one. */
export function effectiveDeadline(task: TaskState): number | undefined {
  return task.resumedDeadline ?? task.deadline;
}

export function reportingCategory(task: TaskState, now: number): ReportingCategory {
  const deadline = effectiveDeadline(task);
  if (task.status === 'cancelled' || task.status === 'waived') return 'dropped';
  if (task.status === 'done') {
    const at = task.completedAt ?? now;
    return deadline !== undefined && at > deadline ? 'done-late' : 'done-on-time';
  }
  if (task.status === 'suspended') return 'suspended';
  const late = deadline !== undefined && now >= deadline;
  if (late) return 'in-progress-late';
  const started = task.progress > 0 || ['in_progress', 'awaiting_approval', 'reopened'].includes(task.status);
  return started ? 'in-progress-on-time' : 'not-due';
}

/**
 * Whole days (rounded up) past the deadline: until completion for tasks done late, until now for tasks not
 * finished (a suspended task's clock is stopped: 0), the same rule as the reporting category.
 */
export function daysOverdue(task: TaskState, now: number): number {
  const deadline = effectiveDeadline(task);
  if (deadline === undefined || ['cancelled', 'waived', 'suspended'].includes(task.status)) return 0;
  const until = task.status === 'done' ? (task.completedAt ?? now) : now;
  return until > deadline ? Math.ceil((until - deadline) / DAY_MS) : 0;
}

export interface NameBook {
  agency(code: string): string;
  person(id: string): string;
  group(id: string): string;
}

/** Names for the codes of a plan: agencies, people (the plan's and the congress's) and task groups. */
export function nameBook(state: PlanState): NameBook {
  const agencies = new Map(state.definition.agencies.map((a) => [a.code, a.name]));
  const people = peopleDirectory(state);
  const groups = new Map(state.definition.groups.map((g) => [g.id, g.name]));
  return {
    agency: (code) => agencies.get(code) ?? code,
    person: (id) => people.get(id)?.name ?? id,
    group: (id) => groups.get(id) ?? id,
  };
}

export function taskRows(state: PlanState, now: number): TaskRow[] {
  const names = nameBook(state);
  const tz = state.congress.timeZone;
  return orderedTasks(state).map((task, index) => {
    const deadline = effectiveDeadline(task);
    const category = reportingCategory(task, now);
    return {
      no: index + 1,
      id: task.id,
      groupId: task.group,
      group: names.group(task.group),
      title: task.title,
      phase: PHASE_WORDS[task.phase],
      leadAgency: names.agency(task.leadAgency),
      coordinatingAgencies: (task.coordinatingAgencies ?? []).map(names.agency),
      ...(task.responsible ? { responsible: names.person(task.responsible) } : {}),
      due: task.due,
      ...(deadline !== undefined ? { deadline, deadlineLocal: localDateTime(deadline, tz) } : {}),
      ...(task.budgetVnd !== undefined ? { budgetVnd: task.budgetVnd } : {}),
      progress: task.status === 'done' ? 100 : task.progress,
      daysOverdue: daysOverdue(task, now),
      category,
      categoryWord: REPORTING_CATEGORY_WORDS[category],
      status: TASK_STATUS_WORDS[task.status],
      dependsOn: task.dependsOn ?? [],
      ...(task.deliverable ? { deliverable: task.deliverable } : {}),
      ...(task.requiresApproval !== undefined ? { requiresApproval: task.requiresApproval } : {}),
      ...(task.scenario ? { scenario: task.scenario } : {}),
    };
  });
}

/** How many tasks fall in each reporting category. */
export function categoryCounts(rows: Pick<TaskRow, 'category'>[]): Record<ReportingCategory, number> {
  const counts = {
    'done-on-time': 0,
    'done-late': 0,
    'in-progress-on-time': 0,
    'in-progress-late': 0,
    'not-due': 0,
    suspended: 0,
    dropped: 0,
  } satisfies Record<ReportingCategory, number>;
  for (const row of rows) counts[row.category]++;
  return counts;
}
