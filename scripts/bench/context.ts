/** What every section gets: the running stack, the settings, and helpers to start and reach plans. */
import os from 'node:os';
import { WorkflowNotFoundError } from '@temporalio/client';
import {
  DEFAULT_TASK_QUEUE,
  planStartSearchAttributes,
  UNIT_PLAN_WORKFLOW_TYPE,
  planWorkflowId,
  type UnitPlanInput,
} from '../../libs/contracts';
import type { CongressDefinition, UnitPlanDefinition } from '../../libs/domain';
import type { BenchSettings } from './cli';
import type { BenchStack } from './stack';

export interface BenchContext {
  stack: BenchStack;
  settings: BenchSettings;
  log(line: string): void;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

export function loadText(): string {
  return os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
}

/** Runs `fn` over `items` with at most `limit` at a time. */
export async function mapLimit<T, R>(
  items: T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await fn(items[i], i);
      }
    }),
  );
  return results;
}

/** POST /congresses: the congress workflow starts its plans. */
export async function startCongressThroughApi(
  ctx: BenchContext,
  congress: CongressDefinition,
  plans: UnitPlanDefinition[],
): Promise<void> {
  await ctx.stack.api.expectOk('POST', '/congresses', { congress, plans });
}

/**
 * Starts a plan directly with the Temporal client (the way the congress workflow does, without one): used for
 * plans of a congress already over, which the API is to refuse (issue 7), so that their closing comes due
 * within the bench.
 */
export async function startPlanDirectly(
  ctx: BenchContext,
  congress: CongressDefinition,
  plan: UnitPlanDefinition,
): Promise<string> {
  const workflowId = planWorkflowId(congress.id, plan.unitCode);
  const input: UnitPlanInput = { kind: 'start', congress, plan };
  await ctx.stack.client.workflow.start(UNIT_PLAN_WORKFLOW_TYPE, {
    workflowId,
    taskQueue: DEFAULT_TASK_QUEUE,
    args: [input],
    typedSearchAttributes: planStartSearchAttributes(congress.id, plan.unitCode),
  });
  return workflowId;
}

/**
 * Waits until every plan has run its first workflow task (four events: started, task scheduled, started,
 * completed). Read from the server (describe), so that waiting adds no work to the worker.
 */
export async function waitForPlans(ctx: BenchContext, workflowIds: string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let pending = [...workflowIds];
  while (pending.length > 0) {
    const ready = await mapLimit(pending, 8, async (id) => {
      try {
        return (await ctx.stack.client.workflow.getHandle(id).describe()).historyLength >= 4;
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) return false;
        throw err;
      }
    });
    pending = pending.filter((_, i) => !ready[i]);
    if (pending.length === 0) return;
    if (Date.now() > deadline) {
      throw new Error(`${pending.length} of ${workflowIds.length} plans had not started within ${timeoutMs} ms`);
    }
    await sleep(500);
  }
}

/** Waits until every workflow has ended or `giveUpAt` passes; answers the ids still running. */
export async function waitUntilEnded(ctx: BenchContext, workflowIds: string[], giveUpAt: number): Promise<string[]> {
  const open = new Set(workflowIds);
  while (open.size > 0 && Date.now() < giveUpAt) {
    await sleep(1000);
    for (const id of [...open]) {
      const d = await ctx.stack.client.workflow.getHandle(id).describe();
      if (d.status.name !== 'RUNNING') open.delete(id);
    }
  }
  return [...open];
}

/** Every run of a workflow (continue-as-new makes several), oldest first, with its history length. */
export async function runsOf(
  ctx: BenchContext,
  workflowId: string,
): Promise<Array<{ runId: string; events: number; status: string }>> {
  const runs: Array<{ runId: string; events: number; status: string; start: number }> = [];
  for await (const info of ctx.stack.client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) {
    const description = await ctx.stack.client.workflow.getHandle(workflowId, info.runId).describe();
    runs.push({
      runId: info.runId,
      events: description.historyLength,
      status: description.status.name,
      start: info.startTime.getTime(),
    });
  }
  return runs.sort((a, b) => a.start - b.start).map(({ runId, events, status }) => ({ runId, events, status }));
}
