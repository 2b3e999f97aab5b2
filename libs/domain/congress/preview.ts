/**
 * The preview of a move of congress day: what it would do to each running plan, computed by the plan engine
 * itself on a copy of the plan's state (so the preview and the move follow the same rules), changing nothing.
 */
import { advance, applyCommand, isOverdue, orderedTasks } from '../engine';
import { SYSTEM_ACTOR, type PlanState } from '../model';
import { isAtRisk } from '../views';
import { CONFIRM_CLOSING_FIELD, congressOverBy, type CongressDayMove } from './congress';
import { planClosesAt } from './normalise';

export interface TaskMoveEffect {
  id: string;
  title: string;
  /** ISO instants: the deadline now, and after the move. */
  deadline?: string;
  newDeadline?: string;
}

export interface PlanMovePreview {
  unitCode: string;
  unitName: string;
  status: PlanState['status'];
  /** The plan would close as soon as the move applies (its closing report and archive would be written). */
  closes: boolean;
  /** When the plan would close at the latest after the move (ISO instant); absent for a finished plan. */
  closesAt?: string;
  /** Open tasks whose deadline would have passed at once (not overdue before). */
  becomeOverdue: TaskMoveEffect[];
  /**
   * Tasks that would likely be late: not overdue yet, but due within a week and under half done (the views'
   * at-risk rule), and not at risk before.
   */
  becomeAtRisk: TaskMoveEffect[];
  /** How many tasks' deadlines would change. */
  deadlinesMoved: number;
}

export interface CongressDayMovePreview {
  startDate: string;
  endDate: string;
  plans: PlanMovePreview[];
  /** Units whose plans would close at once. */
  closingPlans: string[];
  /** The move ends the congress before now, so it needs `confirmClosingPlans: true` (plans close then or soon). */
  requiresConfirmation: boolean;
  confirmationField: typeof CONFIRM_CLOSING_FIELD;
}

const iso = (t: number | undefined) => (t === undefined ? undefined : new Date(t).toISOString());

/** What moving congress day would do to one plan at `now`. A finished plan is left as it is. */
export function previewPlanMove(
  state: PlanState,
  move: Pick<CongressDayMove, 'startDate' | 'endDate'>,
  now: number,
): PlanMovePreview {
  const base = {
    unitCode: state.definition.unitCode,
    unitName: state.definition.unitName,
    status: state.status,
  };
  if (state.status === 'closed' || state.status === 'stopped') {
    return { ...base, closes: false, becomeOverdue: [], becomeAtRisk: [], deadlinesMoved: 0 };
  }
  const before = JSON.parse(JSON.stringify(state)) as PlanState;
  advance(before, now);
  const after = JSON.parse(JSON.stringify(before)) as PlanState;
  applyCommand(
    after,
    {
      type: 'moveCongressDay',
      actor: SYSTEM_ACTOR,
      reason: 'preview',
      startDate: move.startDate,
      endDate: move.endDate,
    },
    now,
  );
  advance(after, now);
  const becomeOverdue: TaskMoveEffect[] = [];
  const becomeAtRisk: TaskMoveEffect[] = [];
  let deadlinesMoved = 0;
  for (const task of orderedTasks(after)) {
    const old = before.tasks[task.id];
    if (!old) continue;
    if (old.deadline !== task.deadline) deadlinesMoved++;
    const effect = { id: task.id, title: task.title, deadline: iso(old.deadline), newDeadline: iso(task.deadline) };
    if (isOverdue(task, now) && !isOverdue(old, now)) becomeOverdue.push(effect);
    if (isAtRisk(task, now) && !isAtRisk(old, now)) becomeAtRisk.push(effect);
  }
  return {
    ...base,
    closes: after.status === 'closed' && before.status !== 'closed',
    closesAt: iso(
      planClosesAt({ endDate: move.endDate, timeZone: state.congress.timeZone }, state.definition.closeAfter),
    ),
    becomeOverdue,
    becomeAtRisk,
    deadlinesMoved,
  };
}

/** What moving congress day would do to each plan; `states` are the plans' current states. */
export function previewCongressDayMove(
  states: PlanState[],
  move: Pick<CongressDayMove, 'startDate' | 'endDate'>,
  now: number,
): CongressDayMovePreview {
  const plans = states.map((state) => previewPlanMove(state, move, now));
  const closingPlans = plans.filter((p) => p.closes).map((p) => p.unitCode);
  const running = states.filter((s) => s.status !== 'closed' && s.status !== 'stopped');
  return {
    startDate: move.startDate,
    endDate: move.endDate,
    plans,
    closingPlans,
    requiresConfirmation: running.some((s) => congressOverBy(move.endDate, s.congress.timeZone, now)),
    confirmationField: CONFIRM_CLOSING_FIELD,
  };
}
