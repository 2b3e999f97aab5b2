/**
 * `npm run bench`: what one plan costs, printed side by side for plans of 100, 300 and 1000 tasks (the most a plan may hold).
 *
 * 1. The engine on a virtual clock — the work a workflow does on every wake-up (advance, nextWakeAt, the
 *    summary for search attributes): mean and worst microseconds per wake-up, wake-ups over the plan's life,
 *    the size of the state that continue-as-new carries (against Temporal's 2 MiB payload limit), and heap.
 * 2. The workflow on the time-skipping server: a 100-task plan run from T-120 days to the end, with update
 *    latencies and the history events it produced.
 */
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { createActivities } from '../activities';
import { registerSearchAttributes } from '../apps/worker/search-attributes.registrar';
import {
  SA,
  UNIT_PLAN_WORKFLOW_TYPE,
  planQueries,
  planUpdates,
  planWorkflowId,
  type UnitPlanInput,
} from '../libs/contracts';
import {
  addCalendarDays,
  advance,
  applyCommand,
  createPlanState,
  generatedPlan,
  instantAt,
  localDateOf,
  nextWakeAt,
  orderedTasks,
  planSummary,
  provincialCongress,
  type Actor,
  type PlanState,
} from '../libs/domain';
import { findTestServer } from './dev-server';

const PAYLOAD_LIMIT_BYTES = 2 * 1024 * 1024;
const coordinator: Actor = { id: 'vptu-tt1', name: 'Văn phòng', roles: ['coordinator'] };
const approvers: Actor[] = [1, 2].map((n) => ({ id: `btv-${n}`, name: `btv ${n}`, roles: ['approver'] }));

interface EngineFigures {
  tasks: number;
  mode: string;
  wakes: number;
  meanUs: number;
  maxUs: number;
  totalMs: number;
  stateKiB: number;
  payloadHeadroom: number;
  heapMiB: number;
}

function approvePending(state: PlanState, now: number): void {
  for (const approval of Object.values(state.approvals)) {
    if (approval.status !== 'pending') continue;
    for (const actor of approvers) {
      if (approval.status === 'pending') {
        applyCommand(state, { type: 'decide', actor, approvalId: approval.id, decision: 'approve' }, now);
      }
    }
  }
}

/** A plan's whole life on a virtual clock; `diligent` completes each task the day it opens. */
function simulateEngine(tasks: number, diligent: boolean): EngineFigures {
  const congress = provincialCongress('bench', '2027-03-15');
  const start = instantAt('2026-11-15', 8 * 60, 'Asia/Ho_Chi_Minh');
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const state = createPlanState(congress, generatedPlan(tasks), start);
  let now = start;
  let wakes = 0;
  let totalNs = 0;
  let maxNs = 0;
  for (;;) {
    const t0 = performance.now();
    const next = nextWakeAt(state, now);
    if (next === undefined) break;
    now = next;
    advance(state, now);
    planSummary(state, now);
    const spent = (performance.now() - t0) * 1e6;
    totalNs += spent;
    maxNs = Math.max(maxNs, spent);
    wakes++;
    state.outbox = []; // the workflow hands these to activities
    approvePending(state, now);
    if (diligent) {
      for (const task of orderedTasks(state)) {
        if (task.status === 'open' && task.deadline !== undefined && task.deadline - now < 3 * 24 * 3600_000) {
          applyCommand(state, { type: 'completeTask', actor: coordinator, taskId: task.id }, now);
        }
      }
      approvePending(state, now);
    }
  }
  const stateBytes = Buffer.byteLength(JSON.stringify(state));
  return {
    tasks,
    mode: diligent ? 'on time' : 'unattended',
    wakes,
    meanUs: totalNs / wakes / 1000,
    maxUs: maxNs / 1000,
    totalMs: totalNs / 1e6,
    stateKiB: stateBytes / 1024,
    payloadHeadroom: PAYLOAD_LIMIT_BYTES / stateBytes,
    heapMiB: (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024,
  };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function benchWorkflow(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('ERROR'), shutdownSignals: [] });
  const serverPath = findTestServer();
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: serverPath ? { type: 'existing-path', path: serverPath } : { type: 'cached-download' } },
  });
  try {
    await registerSearchAttributes(env.connection, 'default', { listFirst: false });
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: 'bench',
      workflowsPath: require.resolve('../workflows'),
      activities: createActivities({ reportsDir: path.join(os.tmpdir(), 'tminus-bench') }),
    });
    await worker.runUntil(async () => {
      const now = await env.currentTimeMs();
      const congress = provincialCongress('bench-wf', addCalendarDays(localDateOf(now, 'Asia/Ho_Chi_Minh'), 120));
      const plan = generatedPlan(100);
      const input: UnitPlanInput = { kind: 'start', congress, plan };
      const started = performance.now();
      const handle = await env.client.workflow.start(UNIT_PLAN_WORKFLOW_TYPE, {
        workflowId: planWorkflowId(congress.id, plan.unitCode),
        taskQueue: 'bench',
        args: [input],
        typedSearchAttributes: [
          { key: SA.congress, value: congress.id },
          { key: SA.unit, value: plan.unitCode },
          { key: SA.kind, value: 'plan' },
        ],
      });
      const latencies: number[] = [];
      const timed = async (fn: () => Promise<unknown>) => {
        const t0 = performance.now();
        await fn();
        latencies.push(performance.now() - t0);
      };
      await timed(() => handle.executeUpdate(planUpdates.submitPlanForApproval, { args: [{ actor: coordinator }] }));
      for (let week = 0; week < 30; week++) {
        const view = await handle.query(planQueries.view);
        if (view.status === 'closed') break;
        for (const approval of view.pendingApprovals) {
          for (const actor of approvers) {
            await timed(() =>
              handle.executeUpdate(planUpdates.decide, {
                args: [{ approvalId: approval.id, decision: 'approve', actor }],
              }),
            );
            if ((await handle.query(planQueries.pendingApprovals)).every((a) => a.id !== approval.id)) break;
          }
        }
        const current = await env.currentTimeMs();
        for (const task of view.tasks) {
          if (
            ['open', 'in_progress'].includes(task.status) &&
            Date.parse(task.deadline ?? '0') < current + 7 * 86400_000
          ) {
            await timed(() =>
              handle.executeUpdate(planUpdates.completeTask, { args: [{ taskId: task.id, actor: coordinator }] }),
            );
          }
        }
        if ((await handle.describe()).status.name !== 'RUNNING') break;
        await env.sleep(7 * 86400_000);
      }
      const result = await handle.result();
      const wallMs = performance.now() - started;
      const history = await handle.fetchHistory();
      console.log('\nWorkflow on the time-skipping server: one 100-task plan, T-120 days to closing');
      console.log(`  result ${result.status}, ${result.report.done}/${result.report.total} done`);
      console.log(
        `  wall time ${(wallMs / 1000).toFixed(1)} s for ~${Math.round((Date.parse(congress.startDate) - now) / 86400_000) + 30} simulated days`,
      );
      console.log(
        `  ${latencies.length} updates: p50 ${percentile(latencies, 50).toFixed(1)} ms, p95 ${percentile(latencies, 95).toFixed(1)} ms, max ${Math.max(...latencies).toFixed(1)} ms`,
      );
      console.log(`  history events of the last run: ${history.events?.length ?? 0}`);
    });
  } finally {
    await env.teardown();
  }
}

async function main(): Promise<void> {
  console.log(`tminus benchmark — node ${process.version}, ${os.cpus().length} cores`);
  console.log('\nEngine on a virtual clock (the work of one workflow wake-up)');
  const rows: EngineFigures[] = [];
  for (const tasks of [100, 300, 998]) {
    for (const diligent of [true, false]) rows.push(simulateEngine(tasks, diligent));
  }
  console.table(
    rows.map((r) => ({
      tasks: r.tasks,
      team: r.mode,
      'wake-ups': r.wakes,
      'mean µs/wake': r.meanUs.toFixed(0),
      'max µs/wake': r.maxUs.toFixed(0),
      'total ms': r.totalMs.toFixed(0),
      'state KiB': r.stateKiB.toFixed(0),
      '2 MiB limit / state': `${r.payloadHeadroom.toFixed(1)}x`,
    })),
  );
  const small = rows.find((r) => r.tasks === 100 && r.mode === 'unattended')!;
  const large = rows.find((r) => r.tasks === 998 && r.mode === 'unattended')!;
  console.log(
    `  10x the tasks costs ${(large.meanUs / small.meanUs).toFixed(1)}x per wake-up and ${(large.stateKiB / small.stateKiB).toFixed(1)}x the state`,
  );
  if (process.argv.includes('--engine-only')) return;
  await benchWorkflow();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
