/**
 * Escalation lag at scale: `plans` plans of `tasksPerPlan` tasks, every task due at the same instant, started
 * through the API; the figure is, for each task's first ladder step (level 1, "overdue"), the time its notice
 * reached the webhook receiver minus the deadline.
 */
import { planWorkflowId } from '../../libs/contracts';
import { loadText, mapLimit, sleep, startCongressThroughApi, waitForPlans, type BenchContext } from './context';
import { benchPlan, futureCongress, isoAt, unitCode } from './fixtures';
import { lagBreakdown, type LagBreakdown } from './lag-breakdown';
import type { ReceivedNotice } from './receiver';
import { ms, spreadText, type Row } from './report';
import { distribution, spread, type Distribution, type Spread } from './stats';

/** Small congresses: a congress workflow starts its plans one after another (one workflow task each). */
const PLANS_PER_CONGRESS = 5;

/** The first ladder step's notice, whatever the engine calls its event. */
export function isFirstStep(n: ReceivedNotice): boolean {
  return n.level === 1 || (n.level === undefined && n.event === 'overdue');
}

export interface LagRun {
  tasks: number;
  received: number;
  /** Seconds between the last plan answering and the deadline (must be positive for a fair run). */
  marginMs: number;
  lag: Distribution;
  /** Where the lag went, per plan (its first ladder step). */
  breakdown?: LagBreakdown;
  load: string;
}

export interface LagResult {
  runs: LagRun[];
  p50: Spread;
  p99: Spread;
  max: Spread;
  /** The raw SDK doing the same (a timer each, then one activity posting the notices), run after each repeat. */
  baseline: { runs: LagRun[]; p50: Spread; p99: Spread };
  /** tminus p99 / raw SDK p99, per repeat. */
  p99Ratio: Spread;
}

/**
 * Waits (up to two minutes past the deadline) for `total` first ladder notices of the run's congresses, and
 * measures each one's arrival at the receiver against the deadline.
 */
async function firstStepArrivals(
  ctx: BenchContext,
  ofRun: (n: ReceivedNotice) => boolean,
  total: number,
  deadline: number,
): Promise<{ arrivals: ReceivedNotice[]; lag: Distribution }> {
  const mine = (n: ReceivedNotice) => ofRun(n) && isFirstStep(n);
  const giveUpAt = deadline + 120_000;
  while (Date.now() < giveUpAt && ctx.stack.receiver.received(mine).length < total) await sleep(250);
  const arrivals = ctx.stack.receiver.received(mine);
  const lag = distribution(arrivals.map((n) => n.firstArrival - deadline));
  ctx.log(
    `  ${arrivals.length}/${total} notices; lag p50 ${ms(lag.p50)}, p95 ${ms(lag.p95)}, p99 ${ms(lag.p99)}, max ${ms(lag.max)}`,
  );
  return { arrivals, lag };
}

/**
 * The raw SDK's floor on this machine: as many bare workflows as plans, each sleeping until the same instant and
 * then posting as many notices (scripts/bench/baseline), started with the client.
 */
async function baselineLagRun(ctx: BenchContext, run: string, leadSeconds: number): Promise<LagRun> {
  const { plans, tasksPerPlan } = ctx.settings.lag;
  const load = loadText();
  const started = Date.now();
  const deadline = Math.ceil((started + leadSeconds * 1000) / 1000) * 1000;
  const congressId = `bench-base-lag-${run}`;
  await mapLimit(
    Array.from({ length: plans }, (_, p) => p),
    16,
    (p) =>
      ctx.stack.client.workflow.start('baselineDeadline', {
        workflowId: `bench-baseline/${congressId}/${unitCode('LAG', p + 1)}`,
        taskQueue: ctx.stack.baselineTaskQueue,
        args: [{ deadline, congressId, unitCode: unitCode('LAG', p + 1), notices: tasksPerPlan }],
      }),
  );
  const marginMs = deadline - Date.now();
  ctx.log(`raw SDK lag run ${run}: ${plans} workflows × ${tasksPerPlan} notices due at ${isoAt(deadline)}`);
  const total = plans * tasksPerPlan;
  const { arrivals, lag } = await firstStepArrivals(ctx, (n) => n.congressId === congressId, total, deadline);
  return { tasks: total, received: arrivals.length, marginMs, lag, load };
}

async function lagRun(ctx: BenchContext, run: string, leadSeconds: number): Promise<LagRun> {
  const { plans, tasksPerPlan } = ctx.settings.lag;
  const load = loadText();
  const started = Date.now();
  const deadline = Math.ceil((started + leadSeconds * 1000) / 1000) * 1000;
  const congresses = Math.ceil(plans / PLANS_PER_CONGRESS);
  const prefix = `bench-lag-${run}-`;
  const workflowIds: string[] = [];
  await mapLimit(
    Array.from({ length: congresses }, (_, c) => c),
    8,
    async (c) => {
      const congress = futureCongress(`${prefix}${c + 1}`, started, 30);
      const count = Math.min(PLANS_PER_CONGRESS, plans - c * PLANS_PER_CONGRESS);
      const defs = Array.from({ length: count }, (_, p) =>
        benchPlan({
          unitCode: unitCode('LAG', c * PLANS_PER_CONGRESS + p + 1),
          tasks: Array.from({ length: tasksPerPlan }, (_, t) => ({ id: `L-${t + 1}`, due: isoAt(deadline) })),
        }),
      );
      await startCongressThroughApi(ctx, congress, defs);
      workflowIds.push(...defs.map((d) => planWorkflowId(congress.id, d.unitCode)));
    },
  );
  try {
    await waitForPlans(ctx, workflowIds, Math.max(10_000, deadline - Date.now()));
  } catch {
    // Not all plans were up by the deadline: the run would measure start-up, not escalation.
  }
  const marginMs = deadline - Date.now();
  if (marginMs < 0) {
    ctx.log(`lag run ${run}: plans still starting at the deadline (${leadSeconds} s after start); run discarded`);
    return { tasks: plans * tasksPerPlan, received: 0, marginMs, lag: distribution([]), load };
  }
  ctx.log(
    `lag run ${run}: ${plans} plans × ${tasksPerPlan} tasks due at ${isoAt(deadline)}; all plans answered ${(marginMs / 1000).toFixed(1)} s before it`,
  );
  const total = plans * tasksPerPlan;
  const { arrivals, lag } = await firstStepArrivals(
    ctx,
    (n) => n.congressId?.startsWith(prefix) === true,
    total,
    deadline,
  );
  const breakdown = await lagBreakdown(ctx, workflowIds, deadline, arrivals);
  const part = (label: string, d: Distribution) => `${label} ${ms(d.p50)}/${ms(d.p99)}`;
  ctx.log(
    `  where it went (p50/p99 over ${breakdown.plans} plans): ${[
      part('timer fired', breakdown.timerFired),
      part('workflow task picked up', breakdown.workflowTaskPickedUp),
      part('ran', breakdown.workflowTaskRan),
      part('activity picked up', breakdown.activityPickedUp),
      part('ran', breakdown.activityRan),
      part('first notice after activity start', breakdown.firstNoticeAfterActivityStart),
    ].join('; ')}`,
  );
  return { tasks: total, received: arrivals.length, marginMs, lag, breakdown, load };
}

export async function measureLag(ctx: BenchContext): Promise<{ result: LagResult; rows: Row[] }> {
  const runs: LagRun[] = [];
  const baselineRuns: LagRun[] = [];
  for (let r = 1; r <= ctx.settings.lag.repeats; r++) {
    const lead = ctx.settings.lag.leadSeconds;
    let attempt = await lagRun(ctx, `${r}`, lead);
    // On a machine too busy to start 100 plans within the lead, try once more with twice the lead.
    if (attempt.marginMs < 0) attempt = await lagRun(ctx, `${r}b`, lead * 2);
    runs.push(attempt);
    // Bare workflows start in a few seconds; a short lead keeps the repeat's two arms close in time.
    baselineRuns.push(await baselineLagRun(ctx, `${r}`, 20));
  }
  const result: LagResult = {
    runs,
    p50: spread(runs.map((r) => r.lag.p50)),
    p99: spread(runs.map((r) => r.lag.p99)),
    max: spread(runs.map((r) => r.lag.max)),
    baseline: {
      runs: baselineRuns,
      p50: spread(baselineRuns.map((r) => r.lag.p50)),
      p99: spread(baselineRuns.map((r) => r.lag.p99)),
    },
    p99Ratio: spread(runs.map((r, i) => r.lag.p99 / baselineRuns[i].lag.p99)),
  };
  const complete = runs.every((r) => r.received === r.tasks);
  const { plans, tasksPerPlan } = ctx.settings.lag;
  const rows: Row[] = [
    {
      section: 'lag',
      measure: `escalation lag p99, ${plans * tasksPerPlan} tasks due at once over ${plans} plans`,
      figure: ms(result.p99.median),
      spread: spreadText(result.p99, ms),
      target: '< 2 s (aim 1 s)',
      met: result.p99.median < 2000 && complete,
    },
    {
      section: 'lag',
      measure: 'escalation lag p50 / max; notices received',
      figure: `${ms(result.p50.median)} / ${ms(result.max.median)}`,
      spread: spreadText(result.max, ms),
      target: `${runs.map((r) => `${r.received}/${r.tasks}`).join(', ')}`,
    },
    {
      section: 'lag',
      measure: `raw SDK, the same instant: ${plans} bare workflows, a timer and one activity posting ${tasksPerPlan} notices each; p99 (p50)`,
      figure: `${ms(result.baseline.p99.median)} (${ms(result.baseline.p50.median)})`,
      spread: spreadText(result.baseline.p99, ms),
      target: `${baselineRuns.map((r) => `${r.received}/${r.tasks}`).join(', ')}`,
    },
    {
      section: 'lag',
      measure: 'escalation lag p99, tminus / raw SDK',
      figure: `${result.p99Ratio.median.toFixed(2)}×`,
      spread: spreadText(result.p99Ratio, (x) => `${x.toFixed(2)}×`),
      target: 'printed',
    },
  ];
  return { result, rows };
}
