/**
 * Plans whose whole life plays out in about a minute: a congress that ended at the last midnight, plans
 * closing `closeAfter` later, tasks with reminders 10 s before their deadline and a three-step ladder
 * (0 s, 8 s, 16 s after it), two tasks sent for approval with a 20 s decision window, two completed at once.
 * Run once with a prompt receiver (the control, and the history each task costs over a life) and once with a
 * slow one (every delivery stalls 3 s, one in ten fails once): every moment — reminder, ladder step, approval
 * deadline, closing — must happen within 2 s of when it is due.
 */
import { WorkflowNotFoundError } from '@temporalio/client';
import { planQueries, planUpdates } from '../../libs/contracts';
import type { Actor } from '../../libs/domain';
import {
  loadText,
  mapLimit,
  runsOf,
  sleep,
  startPlanDirectly,
  waitForPlans,
  waitUntilEnded,
  type BenchContext,
} from './context';
import { benchPlan, congressEndOf, endedCongress, isoAt, unitCode } from './fixtures';
import type { ReceivedNotice } from './receiver';
import { ms, type Row } from './report';
import { eventTypesOf } from './history';
import { distribution, type Distribution } from './stats';

const REMINDER_S = 10;
const LADDER_S = [0, 8, 16];
const DECISION_WINDOW_S = 20;
const SPACING_S = 3;
/** Seconds from start to the first deadline: room for starting the plans and the setup commands. */
const leadSeconds = (plans: number) => 30 + 2 * plans;
export const LATE_MS = 2000;
export const SETUP_ACTOR: Actor = { id: 'vptu-tt1', name: 'Lê Minh Thường trực', roles: ['coordinator'] };

export type MomentKind = 'reminder' | 'ladder' | 'approval-deadline' | 'closing';

export interface Moment {
  plan: string;
  kind: MomentKind;
  what: string;
  dueAt: number;
  /** When it was seen to happen (notice arrival, or the plan's own record of closing); undefined: never. */
  happenedAt?: number;
}

export interface LifeResult {
  label: string;
  slow: boolean;
  plans: number;
  tasksPerPlan: number;
  moments: number;
  missing: number;
  late: number;
  lateness: Record<MomentKind, Distribution>;
  /** When the plan fired its ladder steps (audit log) against their moments: the engine's part of the lateness. */
  ladderFiredLateness: Distribution;
  worst: Moment[];
  /** History events over each plan's life (all runs), and per task. */
  eventsPerPlan: Distribution;
  eventsPerTask: Distribution;
  /** Event types over the first plan's life (all runs), with counts. */
  eventTypes: Record<string, number>;
  largestRun: number;
  receiverFailuresServed: number;
  /** The setup commands were still running when the first reminder came due. */
  setupOverran: boolean;
  load: string;
}

/** The plan's own record (its audit log, read through the client) of closing and of each ladder step. */
async function auditTimes(
  ctx: BenchContext,
  workflowId: string,
): Promise<{ closedAt?: number; escalated: Array<{ taskId: string; level: number; at: number }> }> {
  const handle = ctx.stack.client.workflow.getHandle(workflowId);
  const escalated: Array<{ taskId: string; level: number; at: number }> = [];
  let closedAt: number | undefined;
  try {
    const head = await handle.query(planQueries.audit, { offset: 0, limit: 1 });
    for (let offset = 0; offset < head.total; offset += 500) {
      const page = await handle.query(planQueries.audit, { offset, limit: 500 });
      for (const e of page.entries) {
        if (e.action === 'plan.closed') closedAt ??= e.at;
        const level = e.details?.level;
        if (e.action === 'task.escalated' && e.target && typeof level === 'number') {
          escalated.push({ taskId: e.target, level, at: e.at });
        }
      }
    }
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError))
      ctx.log(`  audit of ${workflowId} unreadable: ${String(err).slice(0, 160)}`);
  }
  // Without the audit entry, the run's close time is an upper bound of when it closed.
  closedAt ??= (await handle.describe()).closeTime?.getTime();
  return { closedAt, escalated };
}

export async function runLives(
  ctx: BenchContext,
  label: string,
  slow: boolean,
): Promise<{ result: LifeResult; rows: Row[] }> {
  const { plans: planCount, ladderTasks } = ctx.settings.life;
  const load = loadText();
  const started = Date.now();
  const congress = endedCongress(`bench-life-${label}`, started);
  const firstDue = Math.ceil((started + leadSeconds(planCount) * 1000) / 1000) * 1000;
  const lastDue = firstDue + (ladderTasks - 1) * SPACING_S * 1000;
  const wantedClose = lastDue + (LADDER_S[LADDER_S.length - 1] + 8) * 1000;
  const closeAfterS = Math.ceil((wantedClose - congressEndOf(congress)) / 1000);
  const closesAt = congressEndOf(congress) + closeAfterS * 1000;
  const ladderDue = (i: number) => firstDue + i * SPACING_S * 1000;
  const later = isoAt(closesAt + 600_000);
  const defs = Array.from({ length: planCount }, (_, p) =>
    benchPlan({
      unitCode: unitCode(slow ? 'SLOW' : 'LIFE', p + 1),
      tasks: [
        { id: 'A-1', due: later, requiresApproval: true },
        { id: 'A-2', due: later, requiresApproval: true },
        { id: 'C-1', due: later },
        { id: 'C-2', due: later },
        ...Array.from({ length: ladderTasks }, (_, i) => ({ id: `L-${i + 1}`, due: isoAt(ladderDue(i)) })),
      ],
      reminders: [`${REMINDER_S}s`],
      ladder: [
        { after: `${LADDER_S[0]}s`, notify: ['assignee', 'leadAgencyHead'] },
        { after: `${LADDER_S[1]}s`, notify: ['unitLead'] },
        { after: `${LADDER_S[2]}s`, notify: ['standingSection'] },
      ],
      decisionWindow: `${DECISION_WINDOW_S}s`,
      closeAfter: `${closeAfterS}s`,
    }),
  );
  ctx.stack.receiver.setSlow(
    slow ? { applies: (ns) => ns.some((n) => n.congressId === congress.id), stallMs: 3000, failOneIn: 10 } : undefined,
  );
  const failuresBefore = ctx.stack.receiver.failuresServed;
  const workflowIds = await mapLimit(defs, 8, (def) => startPlanDirectly(ctx, congress, def));
  await waitForPlans(ctx, workflowIds, leadSeconds(planCount) * 1000);
  // Setup, straight through the client (the API's cost is measured elsewhere): two tasks go to the Standing
  // Committee, two are completed.
  const approvalDeadlines = new Map<string, number[]>();
  await mapLimit(defs, 16, async (def, i) => {
    const handle = ctx.stack.client.workflow.getHandle(workflowIds[i]);
    const update = (type: 'completeTask', args: { taskId: string }) =>
      handle.executeUpdate(planUpdates[type] as never, { args: [{ ...args, actor: SETUP_ACTOR }] as never });
    for (const taskId of ['A-1', 'A-2']) await update('completeTask', { taskId });
    for (const taskId of ['C-1', 'C-2']) await update('completeTask', { taskId });
    const approvals = await handle.query(planQueries.approvals);
    approvalDeadlines.set(
      def.unitCode,
      approvals
        .filter((a) => a.status === 'pending')
        .map((a) => Date.parse(a.deadline))
        .sort((a, b) => a - b),
    );
  });
  const firstMoment = firstDue - REMINDER_S * 1000;
  ctx.log(
    `life (${label}): ${planCount} plans × ${defs[0].tasks.length} tasks, ${slow ? 'SLOW receiver (3 s stall, 1 in 10 fails once)' : 'prompt receiver'}; ` +
      `setup done ${((firstMoment - Date.now()) / 1000).toFixed(1)} s before the first reminder, closing at ${isoAt(closesAt)}`,
  );
  const setupOverran = Date.now() > firstMoment;
  if (setupOverran)
    ctx.log('  WARNING: setup ran past the first reminder (machine too loaded); the figures include that');

  // Wait for every plan to close (and its last deliveries to settle).
  const open = await waitUntilEnded(ctx, workflowIds, closesAt + 120_000);
  if (open.length > 0) ctx.log(`  ${open.length} plans still running 120 s after their closing moment`);
  await sleep(slow ? 10_000 : 2000);

  const moments: Moment[] = [];
  const notices = ctx.stack.receiver.received((n) => n.congressId === congress.id);
  for (const def of defs) {
    const mine = notices.filter((n) => n.unitCode === def.unitCode);
    const find = (pred: (n: ReceivedNotice) => boolean) =>
      mine.filter(pred).sort((a, b) => a.firstArrival - b.firstArrival)[0]?.firstArrival;
    for (let i = 0; i < ladderTasks; i++) {
      const taskId = `L-${i + 1}`;
      moments.push({
        plan: def.unitCode,
        kind: 'reminder',
        what: `${taskId} reminder`,
        dueAt: ladderDue(i) - REMINDER_S * 1000,
        happenedAt: find((n) => n.taskId === taskId && n.event === 'reminder'),
      });
      LADDER_S.forEach((after, step) =>
        moments.push({
          plan: def.unitCode,
          kind: 'ladder',
          what: `${taskId} level ${step + 1}`,
          dueAt: ladderDue(i) + after * 1000,
          happenedAt: find(
            (n) => n.taskId === taskId && (n.level === step + 1 || (step === 0 && n.event === 'overdue')),
          ),
        }),
      );
    }
    const approvalNotices = mine
      .filter((n) => n.event === 'approval-overdue')
      .sort((a, b) => a.firstArrival - b.firstArrival);
    (approvalDeadlines.get(def.unitCode) ?? []).forEach((dueAt, i) =>
      moments.push({
        plan: def.unitCode,
        kind: 'approval-deadline',
        what: `approval ${i + 1} deadline`,
        dueAt,
        happenedAt: approvalNotices[i]?.firstArrival,
      }),
    );
  }
  // Diagnosis: when the plan itself fired each ladder step (its audit log), apart from the delivery.
  const firedLateness: number[] = [];
  await mapLimit(defs, 8, async (def, i) => {
    const { closedAt, escalated } = await auditTimes(ctx, workflowIds[i]);
    moments.push({ plan: def.unitCode, kind: 'closing', what: 'closing', dueAt: closesAt, happenedAt: closedAt });
    for (const step of escalated) {
      const index = Number(step.taskId.replace(/^L-/, '')) - 1;
      if (step.taskId.startsWith('L-') && LADDER_S[step.level - 1] !== undefined) {
        firedLateness.push(step.at - (ladderDue(index) + LADDER_S[step.level - 1] * 1000));
      }
    }
  });
  const fired = distribution(firedLateness);

  const lateness = {} as Record<MomentKind, Distribution>;
  for (const kind of ['reminder', 'ladder', 'approval-deadline', 'closing'] as MomentKind[]) {
    lateness[kind] = distribution(
      moments.filter((m) => m.kind === kind && m.happenedAt !== undefined).map((m) => m.happenedAt! - m.dueAt),
    );
  }
  const missing = moments.filter((m) => m.happenedAt === undefined).length;
  const late = moments.filter((m) => m.happenedAt !== undefined && m.happenedAt - m.dueAt > LATE_MS).length;
  const worst = moments
    .filter((m) => m.happenedAt !== undefined)
    .sort((a, b) => b.happenedAt! - b.dueAt - (a.happenedAt! - a.dueAt))
    .slice(0, 5);

  const perPlan = await mapLimit(workflowIds, 4, (id) => runsOf(ctx, id));
  const eventsPerPlan = perPlan.map((runs) => runs.reduce((sum, r) => sum + r.events, 0));
  const tasksPerPlan = defs[0].tasks.length;
  const eventTypes = await eventTypesOf(ctx, workflowIds[0]);
  ctx.log(`  events of ${workflowIds[0]} by type: ${JSON.stringify(eventTypes)}`);
  const result: LifeResult = {
    label,
    slow,
    plans: planCount,
    tasksPerPlan,
    moments: moments.length,
    missing,
    late,
    lateness,
    ladderFiredLateness: fired,
    worst,
    eventsPerPlan: distribution(eventsPerPlan),
    eventsPerTask: distribution(eventsPerPlan.map((e) => e / tasksPerPlan)),
    eventTypes,
    largestRun: Math.max(0, ...perPlan.flat().map((r) => r.events)),
    receiverFailuresServed: ctx.stack.receiver.failuresServed - failuresBefore,
    setupOverran,
    load,
  };
  ctx.stack.receiver.setSlow(undefined);
  const kinds = (['reminder', 'ladder', 'approval-deadline', 'closing'] as MomentKind[])
    .map((k) => `${k} ${ms(lateness[k].max)}`)
    .join(', ');
  ctx.log(`  ${moments.length} moments, ${missing} never seen, ${late} later than 2 s; worst per kind: ${kinds}`);
  for (const m of worst) ctx.log(`    ${m.plan} ${m.what}: ${ms(m.happenedAt! - m.dueAt)} late`);
  ctx.log(
    `  ladder steps as fired by the plans (audit): ${fired.n} steps, p50 ${ms(fired.p50)}, p99 ${ms(fired.p99)}, max ${ms(fired.max)} late`,
  );
  const worstLateness = Math.max(...Object.values(lateness).map((d) => (Number.isFinite(d.max) ? d.max : 0)));
  const rows: Row[] = [
    {
      section: slow ? 'slow receiver' : 'prompt receiver',
      measure: `${planCount} plans' lives: latest of all reminders, ladder steps, approval deadlines, closings`,
      figure: ms(worstLateness),
      target: `${slow ? 'every moment ≤ 2 s late' : 'control (≤ 2 s)'}${setupOverran ? ' [setup overran]' : ''}`,
      met: missing === 0 && late === 0,
    },
    {
      section: slow ? 'slow receiver' : 'prompt receiver',
      measure: 'moments later than 2 s / never seen / total',
      figure: `${late} / ${missing} / ${moments.length}`,
      target: kinds,
    },
    {
      section: slow ? 'slow receiver' : 'prompt receiver',
      measure: 'ladder steps fired by the plans (audit log), p99 / max late',
      figure: `${ms(fired.p99)} / ${ms(fired.max)}`,
      target: 'diagnosis: the engine apart from delivery',
    },
  ];
  return { result, rows };
}
