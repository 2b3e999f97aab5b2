/** History events: per update (read through the client, event by event), and the longest run of any plan. */
import { temporal } from '@temporalio/proto';
import { mapLimit, runsOf, sleep, type BenchContext } from './context';
import type { Row } from './report';
import { steadyPlans } from './cost';

const UPDATES = 20;
export const RUN_LIMIT = 4096;

export interface UpdateEventsResult {
  updates: number;
  eventsPerUpdate: number;
  /** Event types added by the updates, with counts (e.g. TIMER_CANCELED shows a needless re-arm). */
  types: Record<string, number>;
}

function typeName(type: temporal.api.enums.v1.EventType | null | undefined): string {
  return (temporal.api.enums.v1.EventType[type ?? 0] ?? String(type)).replace(/^EVENT_TYPE_/, '');
}

/** Event types over every run of a workflow, with counts: what a plan's life spends its history on. */
export async function eventTypesOf(ctx: BenchContext, workflowId: string): Promise<Record<string, number>> {
  const types: Record<string, number> = {};
  for (const run of await runsOf(ctx, workflowId)) {
    const events = (await ctx.stack.client.workflow.getHandle(workflowId, run.runId).fetchHistory()).events ?? [];
    for (const e of events) types[typeName(e.eventType)] = (types[typeName(e.eventType)] ?? 0) + 1;
  }
  return types;
}

export async function measureEventsPerUpdate(ctx: BenchContext): Promise<{ result: UpdateEventsResult; rows: Row[] }> {
  const [plan] = await steadyPlans(ctx, 'bench-history', 'HIS', 1);
  const handle = ctx.stack.client.workflow.getHandle(plan.workflowId);
  await sleep(500);
  const before = (await handle.fetchHistory()).events?.length ?? 0;
  for (let i = 0; i < UPDATES; i++) {
    await ctx.stack.api.expectOk('POST', `/plans/${plan.congressId}/${plan.unitCode}/tasks/S-1/progress`, {
      progress: i + 1,
    });
  }
  await sleep(1000);
  const events = (await handle.fetchHistory()).events ?? [];
  const added = events.slice(before);
  const types: Record<string, number> = {};
  for (const e of added) types[typeName(e.eventType)] = (types[typeName(e.eventType)] ?? 0) + 1;
  const result = { updates: UPDATES, eventsPerUpdate: added.length / UPDATES, types };
  ctx.log(`history: ${added.length} events for ${UPDATES} updates: ${JSON.stringify(types)}`);
  return {
    result,
    rows: [
      {
        section: 'history',
        measure: 'events per update (reportProgress through the API)',
        figure: result.eventsPerUpdate.toFixed(1),
        target: '≤ 5',
        met: result.eventsPerUpdate <= 5,
      },
    ],
  };
}

export interface RunsResult {
  workflows: number;
  runs: number;
  largestRun: { workflowId: string; runId: string; events: number } | undefined;
  over: number;
}

/** Every plan and congress workflow the bench started (all runs), against the 4,096-event budget of a run. */
export async function checkAllRuns(ctx: BenchContext): Promise<{ result: RunsResult; rows: Row[] }> {
  const ids = new Set<string>();
  for await (const info of ctx.stack.client.workflow.list({
    query: `TminusKind = 'plan' OR TminusKind = 'congress'`,
  })) {
    ids.add(info.workflowId);
  }
  // The start-rate plans have run one workflow task each: a sample of them is enough.
  const startPlans = [...ids].filter((id) => id.startsWith('plan/bench-start-'));
  const sampled = [...[...ids].filter((id) => !id.startsWith('plan/bench-start-')), ...startPlans.slice(0, 20)];
  const all = (
    await mapLimit(sampled, 4, async (id) => (await runsOf(ctx, id)).map((r) => ({ workflowId: id, ...r })))
  ).flat();
  const largest = all.sort((a, b) => b.events - a.events)[0];
  const over = all.filter((r) => r.events >= RUN_LIMIT).length;
  const result: RunsResult = {
    workflows: sampled.length,
    runs: all.length,
    largestRun: largest ? { workflowId: largest.workflowId, runId: largest.runId, events: largest.events } : undefined,
    over,
  };
  ctx.log(
    `history: ${all.length} runs of ${sampled.length} workflows read; largest ${largest?.events ?? 0} events (${largest?.workflowId ?? '-'}); ${over} at or over ${RUN_LIMIT}`,
  );
  return {
    result,
    rows: [
      {
        section: 'history',
        measure: `largest run of ${all.length} runs (${largest?.workflowId ?? '-'})`,
        figure: String(largest?.events ?? 0),
        target: `< ${RUN_LIMIT} events`,
        met: over === 0,
      },
    ],
  };
}
