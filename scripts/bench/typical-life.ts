/**
 * A typical plan's life, compressed into about two minutes and run the way production runs it: under a congress
 * workflow (the parent that starts the plans as children, to which each plan signals its progress), so that the
 * plan→congress signals and the workflow tasks they bring are counted.
 *
 * Modelled on the seeds (a provincial office's 54 work items in 8 groups, seed 004; monthly check-ins, seed 003;
 * the venue put to the Standing Committee, seed 003) and on the templates (reminders 7 d and 1 d before each
 * deadline, the four-step ladder, a majority of the Standing Committee deciding within 5 d):
 *
 * - tasks fall due on a few dates, many per date (`tasksPerDeadline`): they share their reminders;
 * - every task is reported on once or twice (every other task twice) and most are completed on time, after the
 *   first reminder and before the second;
 * - one task per deadline date (1 in 5 with five per date) runs overdue: it gets both reminders and the first
 *   ladder step (the overdue notice), then is completed before the second step;
 * - two tasks go to the Standing Committee when completed and are approved by a majority (two of three);
 * - a monthly check-in (giao ban) between deadline dates, played with checkInNow since a month cannot be
 *   compressed (its cost is measured and shown apart);
 * - the congress is over, so that each plan closes within the run.
 *
 * The commands go straight through the client (executeUpdate, as life.ts does; the API's own cost is measured
 * elsewhere), one plan's commands one after another at their moments.
 */
import {
  CONGRESS_WORKFLOW_TYPE,
  DEFAULT_TASK_QUEUE,
  congressStartSearchAttributes,
  congressUpdates,
  congressWorkflowId,
  planUpdates,
  planWorkflowId,
  type CongressInput,
} from '../../libs/contracts';
import {
  DEFAULT_ESCALATION_LADDER,
  type Actor,
  type CongressDefinition,
  type UnitPlanDefinition,
} from '../../libs/domain';
import { loadText, mapLimit, runsOf, sleep, waitUntilEnded, type BenchContext } from './context';
import { benchPlan, congressEndOf, endedCongress, isoAt, unitCode } from './fixtures';
import { eventTypesOf } from './history';
import { SETUP_ACTOR } from './life';
import { ms, type Row } from './report';
import { distribution, type Distribution } from './stats';

/** The templates' reminders (7 d and 1 d before), in seconds. */
export const REMINDERS_S = [20, 6] as const;
/** The templates' ladder (0 m, 2 d, 4 d, 7 d after the deadline), in seconds: only the first step comes due. */
export const LADDER_S = [0, 30, 60, 105] as const;
/** The templates' 5 d decision window. */
export const DECISION_WINDOW_S = 20;
/** From one deadline date to the next (about a month in real plans). */
export const DEADLINE_SPACING_S = 26;
/** Plans' moments are a little apart, as different units' deadlines are. */
export const PLAN_STAGGER_MS = 700;
/** The overdue task is completed this long after its deadline (after the overdue notice, before step 2). */
export const OVERDUE_DONE_S = 3;
/** The plans close this long after the last plan's last deadline. */
const CLOSE_AFTER_LAST_S = 8;
/** From the start of the section to the first reminder: the congress starts its plans meanwhile. */
const START_ROOM_S = 15;
const CHECK_IN_REASON = 'Giao ban định kỳ hằng tháng';

export interface TypicalShape {
  plans: number;
  deadlines: number;
  tasksPerDeadline: number;
  approvals: number;
  checkIns: number;
}

export type TypicalStep =
  | { at: number; kind: 'progress'; taskId: string; progress: number }
  | { at: number; kind: 'complete'; taskId: string }
  /** The `approver`-th member of the Standing Committee approves what completing `taskId` opened. */
  | { at: number; kind: 'approve'; taskId: string; approver: number }
  | { at: number; kind: 'check-in' }
  /** Reads the history length once the check-in's effects are done: its cost. */
  | { at: number; kind: 'check-in-settled' };

export interface TypicalTask {
  id: string;
  due: number;
  requiresApproval: boolean;
  overdue: boolean;
  reports: number;
}

export interface TypicalPlan {
  unitCode: string;
  tasks: TypicalTask[];
  /** The plan's own timer moments: reminders and deadlines (the first ladder step is at the deadline). */
  moments: number[];
  steps: TypicalStep[];
}

export interface TypicalScenario {
  plans: TypicalPlan[];
  /** When the plans are to close (at the latest; closeAfter rounds up to a second). */
  closeNoEarlierThan: number;
  /** Notices each plan is to send, by event, if the life plays out as planned. */
  expectedNotices: Record<string, number>;
}

/** Approvals needed from the Standing Committee under the templates' majority quorum. */
export const majorityOf = (n: number) => Math.floor(n / 2) + 1;

/** The plans, their tasks and the commands, with the first deadline date at `firstDeadline` (epoch ms). */
export function typicalScenario(shape: TypicalShape, firstDeadline: number, approvers = 3): TypicalScenario {
  const { deadlines, tasksPerDeadline: k, approvals, checkIns } = shape;
  if (k < 2 || k > 12) throw new Error('tasksPerDeadline must be 2 to 12 (one overdue, the rest on time)');
  if (approvals > deadlines) throw new Error('at most one approval per deadline date');
  if (checkIns > deadlines) throw new Error('at most one check-in per deadline date');
  const approvalDates = new Set(Array.from({ length: approvals }, (_, a) => Math.floor((a * deadlines) / approvals)));
  const s = 1000;
  const plans = Array.from({ length: shape.plans }, (_, p): TypicalPlan => {
    const tasks: TypicalTask[] = [];
    const steps: TypicalStep[] = [];
    const moments: number[] = [];
    for (let g = 0; g < deadlines; g++) {
      const due = firstDeadline + g * DEADLINE_SPACING_S * s + p * PLAN_STAGGER_MS;
      moments.push(...REMINDERS_S.map((r) => due - r * s), due);
      // Completions on time fit between 14 s and 8 s before the deadline (after the first reminder, 20 s before,
      // and before the second, 6 s before).
      const completionGap = Math.min(800, Math.floor(6000 / (k - 1)));
      let onTime = 0;
      for (let i = 0; i < k; i++) {
        const id = `N${g + 1}-${String(i + 1).padStart(2, '0')}`;
        const overdue = i === k - 1;
        const requiresApproval = i === 0 && approvalDates.has(g);
        const reports = i % 2 === 1 ? 2 : 1;
        tasks.push({ id, due, requiresApproval, overdue, reports });
        steps.push({ at: due - 18 * s + i * 150, kind: 'progress', taskId: id, progress: 40 });
        if (reports === 2) steps.push({ at: due - 16 * s + i * 150, kind: 'progress', taskId: id, progress: 70 });
        if (overdue) {
          steps.push({ at: due + OVERDUE_DONE_S * s, kind: 'complete', taskId: id });
          continue;
        }
        const doneAt = due - 14 * s + onTime++ * completionGap;
        steps.push({ at: doneAt, kind: 'complete', taskId: id });
        if (requiresApproval) {
          for (let a = 0; a < majorityOf(approvers); a++) {
            steps.push({ at: doneAt + 2500 + a * 1000, kind: 'approve', taskId: id, approver: a });
          }
        }
      }
      if (g < checkIns) {
        steps.push({ at: due - 3 * s, kind: 'check-in' }, { at: due - 1 * s, kind: 'check-in-settled' });
      }
    }
    steps.sort((a, b) => a.at - b.at);
    return { unitCode: unitCode('TYP', p + 1), tasks, moments: moments.sort((a, b) => a - b), steps };
  });
  const lastDeadline = Math.max(...plans.flatMap((p) => p.tasks.map((t) => t.due)));
  return {
    plans,
    closeNoEarlierThan: lastDeadline + CLOSE_AFTER_LAST_S * s,
    expectedNotices: {
      // The first reminder reaches every task of the date, the second only the overdue one.
      reminder: deadlines * k + deadlines,
      overdue: deadlines,
      escalation: 0,
      'approval-requested': approvals,
      'approval-decided': approvals,
      'approval-overdue': 0,
      'check-in': checkIns,
    },
  };
}

/** A typical plan's definition: the templates' reminders, ladder and decision window, compressed to seconds. */
export function typicalPlanDefinition(plan: TypicalPlan, closeAfterS: number): UnitPlanDefinition {
  return benchPlan({
    unitCode: plan.unitCode,
    tasks: plan.tasks.map((t) => ({ id: t.id, due: isoAt(t.due), requiresApproval: t.requiresApproval })),
    reminders: REMINDERS_S.map((r) => `${r}s`),
    ladder: DEFAULT_ESCALATION_LADDER.map((step, i) => ({ ...step, after: `${LADDER_S[i]}s` })),
    decisionWindow: `${DECISION_WINDOW_S}s`,
    closeAfter: `${closeAfterS}s`,
  });
}

/**
 * A plan's events by what caused them, from its event types: each workflow task (three events) is charged to
 * what woke the plan (an update, a timer, the congress's acknowledgement of a progress signal, activity results,
 * the start). Approximate where one workflow task carried two of these (commands are spaced so that it is rare).
 */
export function eventsByCause(types: Record<string, number>): Record<string, number> {
  const n = (t: string) => types[t] ?? 0;
  const tasks = n('WORKFLOW_TASK_COMPLETED') + n('WORKFLOW_TASK_FAILED') + n('WORKFLOW_TASK_TIMED_OUT');
  const updates = n('WORKFLOW_EXECUTION_UPDATE_ACCEPTED');
  const signalsDelivered = n('EXTERNAL_WORKFLOW_EXECUTION_SIGNALED') + n('SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_FAILED');
  const timersFired = n('TIMER_FIRED');
  const activityTasks = Math.max(0, tasks - updates - signalsDelivered - timersFired - 1);
  const activityEvents = Object.entries(types)
    .filter(([t]) => t.startsWith('ACTIVITY_TASK_'))
    .reduce((sum, [, c]) => sum + c, 0);
  const causes = {
    updates: 3 * updates + updates + n('WORKFLOW_EXECUTION_UPDATE_COMPLETED'),
    'progress signals to the congress': n('SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED') + 4 * signalsDelivered,
    timers: n('TIMER_STARTED') + n('TIMER_CANCELED') + 4 * timersFired,
    activities: activityEvents + 3 * activityTasks,
    'search attributes': n('UPSERT_WORKFLOW_SEARCH_ATTRIBUTES'),
  };
  const total = Object.values(types).reduce((sum, c) => sum + c, 0);
  const counted = Object.values(causes).reduce((sum, c) => sum + c, 0);
  return { ...causes, 'start, end and markers': total - counted };
}

export interface TypicalLifeResult {
  plans: number;
  tasksPerPlan: number;
  shape: TypicalShape;
  /** History events over each plan's life (all runs), and per task. */
  eventsPerPlan: Distribution;
  eventsPerTask: Distribution;
  /** The same without the check-ins' own events (measured on each check-in). */
  eventsPerTaskWithoutCheckIns: Distribution;
  eventsPerCheckIn: Distribution;
  /** Event types over the first plan's life (all runs), with counts. */
  eventTypes: Record<string, number>;
  /** The first plan's events by cause (eventsByCause), per task. */
  perTaskByCause: Record<string, number>;
  congress: { workflowId: string; runs: number; events: number; eventTypes: Record<string, number> };
  /** The notices each plan was to send by event, and the plans whose notices differ (the life went otherwise). */
  expectedNotices: Record<string, number>;
  deviations: string[];
  commandLateness: Distribution;
  commandFailures: number;
  setupOverran: boolean;
  seconds: number;
  load: string;
}

type PlanCommandName = keyof typeof planUpdates;

/** Plays one plan's steps in order, each at its moment; returns how late each ran and what each check-in cost. */
async function drive(
  ctx: BenchContext,
  workflowId: string,
  plan: TypicalPlan,
  approvers: Actor[],
): Promise<{ lateness: number[]; failures: string[]; checkInEvents: number[] }> {
  const handle = ctx.stack.client.workflow.getHandle(workflowId);
  const update = (type: PlanCommandName, payload: Record<string, unknown>, actor: Actor = SETUP_ACTOR) =>
    handle.executeUpdate(planUpdates[type] as never, { args: [{ ...payload, actor }] as never }) as Promise<{
      approvalId?: string;
    }>;
  const historyLength = async () => (await handle.describe()).historyLength;
  const approvalOf = new Map<string, string>();
  const lateness: number[] = [];
  const failures: string[] = [];
  const checkInEvents: number[] = [];
  let checkInFrom: number | undefined;
  for (const step of plan.steps) {
    await sleep(step.at - Date.now());
    lateness.push(Date.now() - step.at);
    try {
      switch (step.kind) {
        case 'progress':
          await update('reportProgress', { taskId: step.taskId, progress: step.progress });
          break;
        case 'complete': {
          const result = await update('completeTask', { taskId: step.taskId });
          if (result.approvalId) approvalOf.set(step.taskId, result.approvalId);
          break;
        }
        case 'approve': {
          const approvalId = approvalOf.get(step.taskId);
          if (!approvalId) throw new Error(`no approval was opened by completing ${step.taskId}`);
          await update('decide', { approvalId, decision: 'approve' }, approvers[step.approver]);
          break;
        }
        case 'check-in':
          checkInFrom = await historyLength();
          await update('checkInNow', { reason: CHECK_IN_REASON });
          break;
        case 'check-in-settled':
          if (checkInFrom !== undefined) checkInEvents.push((await historyLength()) - checkInFrom);
          checkInFrom = undefined;
          break;
      }
    } catch (err) {
      failures.push(
        `${plan.unitCode} ${step.kind} ${'taskId' in step ? step.taskId : ''}: ${String(err).slice(0, 200)}`,
      );
    }
  }
  return { lateness, failures, checkInEvents };
}

/** Starts the congress workflow with its plans as the API does (the API refuses a congress already over). */
async function startCongressDirectly(
  ctx: BenchContext,
  congress: CongressDefinition,
  input: Extract<CongressInput, { kind: 'start' }>,
): Promise<string> {
  const workflowId = congressWorkflowId(congress.id);
  await ctx.stack.client.workflow.start(CONGRESS_WORKFLOW_TYPE, {
    workflowId,
    taskQueue: DEFAULT_TASK_QUEUE,
    args: [input],
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
    workflowIdConflictPolicy: 'FAIL',
    typedSearchAttributes: congressStartSearchAttributes(congress.id),
    memo: { congressName: congress.name, startedBy: SETUP_ACTOR.id },
    staticSummary: congress.name,
  });
  // The API answers the creation once every plan exists, with this update: its events count too.
  await ctx.stack.client.workflow.getHandle(workflowId).executeUpdate(congressUpdates.awaitPlans, { args: [] });
  return workflowId;
}

export async function runTypicalLife(ctx: BenchContext): Promise<{ result: TypicalLifeResult; rows: Row[] }> {
  const shape = ctx.settings.typical;
  const load = loadText();
  const started = Date.now();
  const congress = endedCongress('bench-typical', started);
  const firstDeadline = Math.ceil((started + (START_ROOM_S + REMINDERS_S[0]) * 1000) / 1000) * 1000;
  const committee = congress.people.standingCommittee;
  const approvers: Actor[] = committee.map((p) => ({ id: p.id, name: p.name, roles: ['approver'] }));
  const scenario = typicalScenario(shape, firstDeadline, committee.length);
  const closeAfterS = Math.ceil((scenario.closeNoEarlierThan - congressEndOf(congress)) / 1000);
  const closesAt = congressEndOf(congress) + closeAfterS * 1000;
  const defs = scenario.plans.map((plan) => typicalPlanDefinition(plan, closeAfterS));
  const tasksPerPlan = defs[0].tasks.length;
  const congressWorkflow = await startCongressDirectly(ctx, congress, { kind: 'start', congress, plans: defs });
  const workflowIds = defs.map((d) => planWorkflowId(congress.id, d.unitCode));
  const firstMoment = firstDeadline - REMINDERS_S[0] * 1000;
  const setupOverran = Date.now() > firstMoment;
  const overdue = scenario.plans[0].tasks.filter((t) => t.overdue).length;
  ctx.log(
    `typical life: a congress of ${defs.length} plans × ${tasksPerPlan} tasks (${shape.deadlines} deadline dates × ` +
      `${shape.tasksPerDeadline}; ${overdue} overdue, ${shape.approvals} approved, ${shape.checkIns} check-ins per plan); ` +
      `plans started ${((firstMoment - Date.now()) / 1000).toFixed(1)} s before the first reminder, closing at ${isoAt(closesAt)}`,
  );
  if (setupOverran) ctx.log('  WARNING: the plans started after the first reminder was due (machine too loaded)');

  const driven = await Promise.all(scenario.plans.map((plan, i) => drive(ctx, workflowIds[i], plan, approvers)));
  const failures = driven.flatMap((d) => d.failures);
  for (const f of failures.slice(0, 10)) ctx.log(`  command failed: ${f}`);

  // Every plan closes, then the congress writes its summary report and ends.
  const open = await waitUntilEnded(ctx, [...workflowIds, congressWorkflow], closesAt + 120_000);
  if (open.length > 0) ctx.log(`  still running 120 s after the closing moment: ${open.join(', ')}`);
  await sleep(1000);

  // Did the life go as planned? The notices each plan sent, by event, against the scenario's.
  const notices = ctx.stack.receiver.received((n) => n.congressId === congress.id);
  const deviations: string[] = [];
  for (const def of defs) {
    const seen: Record<string, number> = {};
    for (const n of notices.filter((x) => x.unitCode === def.unitCode))
      seen[n.event ?? '?'] = (seen[n.event ?? '?'] ?? 0) + 1;
    const events = new Set([...Object.keys(seen), ...Object.keys(scenario.expectedNotices)]);
    const off = [...events].filter((e) => (seen[e] ?? 0) !== (scenario.expectedNotices[e] ?? 0));
    if (off.length > 0) {
      deviations.push(
        `${def.unitCode}: ${off.map((e) => `${e} ${seen[e] ?? 0} (planned ${scenario.expectedNotices[e] ?? 0})`).join(', ')}`,
      );
    }
  }
  if (open.length > 0) deviations.push(`not finished: ${open.join(', ')}`);
  if (failures.length > 0) deviations.push(`${failures.length} commands failed`);
  for (const d of deviations) ctx.log(`  DEVIATION ${d}`);

  const perPlan = await mapLimit(workflowIds, 4, (id) => runsOf(ctx, id));
  const eventsPerPlan = perPlan.map((runs) => runs.reduce((sum, r) => sum + r.events, 0));
  const checkInEventsPerPlan = driven.map((d) => d.checkInEvents.reduce((sum, e) => sum + e, 0));
  const eventTypes = await eventTypesOf(ctx, workflowIds[0]);
  const congressRuns = await runsOf(ctx, congressWorkflow);
  const congressEvents = congressRuns.reduce((sum, r) => sum + r.events, 0);
  const congressTypes = await eventTypesOf(ctx, congressWorkflow);
  const lateness = distribution(driven.flatMap((d) => d.lateness));
  const seconds = (Date.now() - started) / 1000;
  const result: TypicalLifeResult = {
    plans: defs.length,
    tasksPerPlan,
    shape,
    eventsPerPlan: distribution(eventsPerPlan),
    eventsPerTask: distribution(eventsPerPlan.map((e) => e / tasksPerPlan)),
    eventsPerTaskWithoutCheckIns: distribution(
      eventsPerPlan.map((e, i) => (e - checkInEventsPerPlan[i]) / tasksPerPlan),
    ),
    eventsPerCheckIn: distribution(driven.flatMap((d) => d.checkInEvents)),
    eventTypes,
    perTaskByCause: Object.fromEntries(
      Object.entries(eventsByCause(eventTypes)).map(([cause, n]) => [cause, Number((n / tasksPerPlan).toFixed(2))]),
    ),
    congress: {
      workflowId: congressWorkflow,
      runs: congressRuns.length,
      events: congressEvents,
      eventTypes: congressTypes,
    },
    expectedNotices: scenario.expectedNotices,
    deviations,
    commandLateness: lateness,
    commandFailures: failures.length,
    setupOverran,
    seconds,
    load,
  };
  const perTask = result.eventsPerTask;
  ctx.log(
    `  events per plan ${eventsPerPlan.join(', ')}; per task max ${perTask.max.toFixed(1)}, mean ${perTask.mean.toFixed(1)} ` +
      `(without check-ins max ${result.eventsPerTaskWithoutCheckIns.max.toFixed(1)}; a check-in ` +
      `${result.eventsPerCheckIn.mean.toFixed(1)} events); commands p99 ${ms(lateness.p99)}, max ${ms(lateness.max)} late`,
  );
  ctx.log(`  events of ${workflowIds[0]} by type: ${JSON.stringify(eventTypes)}`);
  ctx.log(`  per task by cause (approximate): ${JSON.stringify(result.perTaskByCause)}`);
  ctx.log(
    `  events of ${congressWorkflow} (${congressRuns.length} runs, ${congressEvents}): ${JSON.stringify(congressTypes)}`,
  );
  ctx.log(`  typical life took ${seconds.toFixed(0)} s`);
  const caveat = `${setupOverran ? ' [setup overran]' : ''}${deviations.length > 0 ? ' [life deviated: see log]' : ''}`;
  const rows: Row[] = [
    {
      section: 'history',
      measure: `events per task over a typical life (${defs.length} plans × ${tasksPerPlan} tasks, under a congress)`,
      figure: `${perTask.max.toFixed(1)} (mean ${perTask.mean.toFixed(1)})`,
      target: `≤ 25${caveat}`,
      met: perTask.max <= 25,
    },
    {
      section: 'history',
      measure: `  of which check-ins (${shape.checkIns} per plan, events each / per task)`,
      figure: `${result.eventsPerCheckIn.mean.toFixed(1)} / ${((result.eventsPerCheckIn.mean * shape.checkIns) / tasksPerPlan).toFixed(1)}`,
      target: 'printed',
    },
    {
      section: 'history',
      measure: `congress workflow over that life (${defs.length} plans, ${congressRuns.length} run(s))`,
      figure: `${congressEvents} events (${(congressEvents / (defs.length * tasksPerPlan)).toFixed(1)} per task)`,
      target: 'printed',
    },
  ];
  return { result, rows };
}
