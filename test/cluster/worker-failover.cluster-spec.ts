/**
 * Two workers share the plans of a congress on the PostgreSQL-backed cluster. The worker that holds most of them
 * is SIGKILLed while their escalation timers are pending; the other carries every plan on: the requests made
 * right after the kill are applied once, every ladder step fires, every notice is delivered under its key,
 * nothing is doubled in the audit logs, and from the kill on only the survivor runs the plans' workflow tasks.
 * A replacement worker then joins and takes work.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Connection, WorkflowClient } from '@temporalio/client';
import type { Response } from 'supertest';
import { temporal } from '@temporalio/proto';
import { api, bearer, eventually, webhookCalls } from '../e2e/client';
import { startNodeProcess } from '../e2e/stack';
import {
  addCalendarDays,
  generatedPlan,
  localDateOf,
  logisticsPlan,
  propagandaPlan,
  provincialCongress,
  securityPlan,
  type EscalationStep,
  type UnitPlanDefinition,
} from '../../libs/domain';
import { EXTRA_PIDS_FILE, waitForWorkerPids, workerEnv } from './stack';

const ROOT = path.resolve(__dirname, '..', '..');
const CONGRESS = 'dh-failover';
const UNITS = ['BPTT', 'BPHC', 'BPANTT'] as const;
const coordinator = bearer('vptu-tt1', ['coordinator']);
const LADDER: EscalationStep[] = [
  { after: '0m', notify: ['assignee', 'leadAgencyHead'] },
  { after: '4s', notify: ['unitLead'] },
  { after: '8s', notify: ['standingSection'] },
];
const EventType = temporal.api.enums.v1.EventType;

interface AuditEntry {
  at: number;
  actor: string;
  action: string;
  target?: string;
  details?: Record<string, unknown>;
}

const planPath = (unit: string) => `/plans/${CONGRESS}/${unit}`;
const workflowId = (unit: string) => `plan/${CONGRESS}/${unit}`;

async function audit(unit: string): Promise<AuditEntry[]> {
  const response = await api()
    .get(`${planPath(unit)}/audit?limit=500`)
    .set('Authorization', coordinator)
    .expect(200);
  return response.body.entries as AuditEntry[];
}

/** Who ran each workflow task of a plan, and when it completed. */
async function workflowTaskRuns(client: WorkflowClient, id: string): Promise<Array<{ at: number; identity: string }>> {
  const history = await client.getHandle(id).fetchHistory();
  return (history.events ?? [])
    .filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED)
    .map((e) => ({
      at: Number(e.eventTime?.seconds ?? 0) * 1000 + Math.floor((e.eventTime?.nanos ?? 0) / 1e6),
      identity: e.workflowTaskCompletedEventAttributes?.identity ?? '',
    }));
}

function addTask(unit: string, id: string, due: number) {
  return api()
    .post(`${planPath(unit)}/tasks`)
    .set('Authorization', coordinator)
    .send({
      task: {
        id,
        title: `Nhiệm vụ kiểm thử chuyển giao ${id}`,
        group: planOf(unit).groups[0].id,
        phase: 'before',
        leadAgency: planOf(unit).agencies[0].code,
        responsible: planOf(unit).unitLead,
        due: new Date(due).toISOString(),
      },
      reason: 'Kiểm thử chuyển giao giữa các worker',
    });
}

const PLANS: UnitPlanDefinition[] = [propagandaPlan(), logisticsPlan(), securityPlan()].map((plan) => ({
  ...plan,
  escalationLadder: LADDER,
  approvalPolicy: { ...plan.approvalPolicy, planRequiresApproval: false },
}));
const planOf = (unit: string) => PLANS.find((p) => p.unitCode === unit)!;

describe('a worker SIGKILLed in the middle of the plans’ lives', () => {
  let connection: Connection;
  let client: WorkflowClient;
  let survivor = 0;

  beforeAll(async () => {
    connection = await Connection.connect({ address: process.env.TMINUS_E2E_TEMPORAL_ADDRESS! });
    client = new WorkflowClient({ connection, namespace: 'default' });
  });
  afterAll(async () => connection?.close());

  it('the other worker carries every plan on, with nothing lost or doubled', async () => {
    const startDate = addCalendarDays(localDateOf(Date.now(), 'Asia/Ho_Chi_Minh'), 60);
    expect(PLANS.map((p) => p.unitCode)).toEqual([...UNITS]);
    await api()
      .post('/congresses')
      .set('Authorization', coordinator)
      .send({ congress: provincialCongress(CONGRESS, startDate), plans: PLANS })
      .expect(201);
    for (const unit of UNITS) {
      await eventually(async () => {
        const r = await api().get(planPath(unit)).set('Authorization', coordinator);
        return r.status === 200 && r.body.status === 'active' ? true : undefined;
      });
    }

    // Before the kill: one task per plan whose deadline is a few seconds away (timers pending on the holder).
    const firstDue = Date.now() + 20_000;
    for (const unit of UNITS) expect((await addTask(unit, 'FO-01', firstDue)).status).toBe(201);

    const pids = process.env.TMINUS_CLUSTER_WORKER_PIDS!.split(',').map(Number);
    const holders = await Promise.all(
      UNITS.map(async (unit) => (await workflowTaskRuns(client, workflowId(unit))).at(-1)!.identity),
    );
    const plansHeldBy = (pid: number) => holders.filter((identity) => identity.startsWith(`${pid}@`)).length;
    const [victim, other] = plansHeldBy(pids[0]) >= plansHeldBy(pids[1]) ? pids : [pids[1], pids[0]];
    survivor = other;
    expect(plansHeldBy(victim)).toBeGreaterThan(0);
    expect(Date.now()).toBeLessThan(firstDue); // the kill comes before any deadline
    process.kill(victim, 'SIGKILL');
    const killedAt = Date.now();
    console.log(
      `[cluster] SIGKILLed worker ${victim} holding ${plansHeldBy(victim)} of ${UNITS.length} plans; ${survivor} survives`,
    );

    // Right after the kill, through both APIs: a second overdue task and progress on the first, in every plan.
    const secondDue = Date.now() + 8_000;
    // A plan whose worker died answers once the survivor has taken it over; until then the API may answer 503 with
    // Retry-After. A careful client retries with the same Idempotency-Key, and the change is applied once.
    const latencies: number[] = [];
    const unavailable: string[] = [];
    const sendUntilAnswered = async (what: string, send: (key: string) => PromiseLike<Response>): Promise<Response> => {
      const key = `failover-${what}`;
      const sent = Date.now();
      for (;;) {
        const response = await send(key);
        if (response.status !== 503 || Date.now() - sent > 90_000) {
          latencies.push(Date.now() - sent);
          return response;
        }
        unavailable.push(`${what} (Retry-After ${response.headers['retry-after']})`);
        expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
        await new Promise((resolve) => setTimeout(resolve, Number(response.headers['retry-after']) * 1000));
      }
    };
    for (const unit of UNITS) {
      const added = await sendUntilAnswered(`${unit}-add-FO-02`, (key) =>
        addTask(unit, 'FO-02', secondDue).set('Idempotency-Key', key),
      );
      expect([unit, added.status]).toEqual([unit, 201]);
      const progress = await sendUntilAnswered(`${unit}-progress-FO-01`, (key) =>
        api()
          .post(`${planPath(unit)}/tasks/FO-01/progress`)
          .set('Authorization', coordinator)
          .set('Idempotency-Key', key)
          .send({ progress: 50, note: 'Đang triển khai' }),
      );
      expect([unit, progress.status]).toEqual([unit, 200]);
    }
    console.log(
      `[cluster] requests right after the kill answered in ${latencies.map((ms) => `${ms} ms`).join(', ')}; ` +
        `503 on the way: ${unavailable.length > 0 ? unavailable.join(', ') : 'none'}`,
    );

    // Every ladder step of both tasks fires in every plan.
    for (const unit of UNITS) {
      await eventually(
        async () => {
          const r = await api()
            .get(`${planPath(unit)}/escalations`)
            .set('Authorization', coordinator)
            .expect(200);
          const fired = (r.body as Array<{ id: string; firedLevels: number[] }>)
            .filter((t) => t.id === 'FO-01' || t.id === 'FO-02')
            .map((t) => t.firedLevels.length);
          return fired.length === 2 && fired.every((n) => n === 3) ? true : undefined;
        },
        120_000,
        `three ladder steps for FO-01 and FO-02 in ${unit}`,
      );
    }

    // Every notice was delivered, under one idempotency key per (task, deadline, level).
    const deadlines = [
      ['FO-01', firstDue],
      ['FO-02', secondDue],
    ] as const;
    const expectedKeys = UNITS.flatMap((unit) =>
      deadlines.flatMap(([task, due]) =>
        [1, 2, 3].map((level) => `${workflowId(unit)}/escalation:${task}:${due}:${level}`),
      ),
    );
    const delivered = await eventually(
      async () => {
        const keys = new Set(webhookCalls().map((call) => call.headers['idempotency-key']));
        return expectedKeys.every((key) => keys.has(key)) ? keys : undefined;
      },
      90_000,
      'every escalation notice',
    );
    expect(expectedKeys.filter((key) => !delivered.has(key))).toEqual([]);

    // Nothing doubled: each action once in each plan's audit log; the deadlines kept; levels 1-3 once each.
    const lags: number[] = [];
    for (const unit of UNITS) {
      const entries = await audit(unit);
      const count = (action: string, target: string) =>
        entries.filter((e) => e.action === action && e.target === target).length;
      expect([unit, count('task.added', 'FO-01'), count('task.added', 'FO-02')]).toEqual([unit, 1, 1]);
      expect([unit, count('task.in_progress', 'FO-01')]).toEqual([unit, 1]);
      for (const [task, due] of deadlines) {
        const steps = entries.filter((e) => e.action === 'task.escalated' && e.target === task);
        expect([unit, task, steps.map((e) => e.details?.level)]).toEqual([unit, task, [1, 2, 3]]);
        lags.push(steps[0].at - due);
      }
    }
    console.log(`[cluster] level-1 escalation lag after the kill: ${lags.map((l) => `${(l / 1000).toFixed(1)}s`)}`);
    expect(Math.min(...lags)).toBeGreaterThanOrEqual(0);

    // From the kill on, only the survivor ran the plans' workflow tasks.
    for (const unit of UNITS) {
      const after = (await workflowTaskRuns(client, workflowId(unit))).filter((run) => run.at > killedAt);
      expect(after.length).toBeGreaterThan(0);
      expect([unit, after.filter((run) => !run.identity.startsWith(`${survivor}@`))]).toEqual([unit, []]);
    }
  });

  it('alone, the survivor holds every plan in its cache: what a cached plan of 100 tasks costs it', async () => {
    expect(survivor).toBeGreaterThan(0); // set by the test above
    const congresses = ['dh-memory-1', 'dh-memory-2', 'dh-memory-3'];
    const perCongress = 10;
    const startDate = addCalendarDays(localDateOf(Date.now(), 'Asia/Ho_Chi_Minh'), 120);
    const plans = Array.from({ length: perCongress }, (_, i) => generatedPlan(100, { unitCode: `BPM${i + 1}` }));
    const before = residentMiB(survivor);
    for (const congress of congresses) {
      await api()
        .post('/congresses')
        .set('Authorization', coordinator)
        .send({ congress: provincialCongress(congress, startDate), plans })
        .expect(201);
    }
    for (const congress of congresses) {
      for (const plan of plans) {
        await eventually(
          async () => {
            const r = await api().get(`/plans/${congress}/${plan.unitCode}`).set('Authorization', coordinator);
            return r.status === 200 && r.body.tasks.length === 100 ? true : undefined;
          },
          120_000,
          `plan ${congress}/${plan.unitCode}`,
        );
        const runs = await workflowTaskRuns(client, `plan/${congress}/${plan.unitCode}`);
        expect([plan.unitCode, runs.every((run) => run.identity.startsWith(`${survivor}@`))]).toEqual([
          plan.unitCode,
          true,
        ]);
      }
    }
    const after = residentMiB(survivor);
    const count = congresses.length * perCongress;
    // Resident memory moves with garbage collection too: a rough figure, printed, not asserted.
    console.log(
      `[cluster] survivor worker RSS ${before.toFixed(0)} MiB → ${after.toFixed(0)} MiB with ${count} more cached ` +
        `plans of 100 tasks: about ${((after - before) / count).toFixed(2)} MiB per plan`,
    );
  });

  it('a replacement worker joins and polls alongside the survivor; the health check sees it', async () => {
    expect(survivor).toBeGreaterThan(0);
    const dir = process.env.TMINUS_E2E_DIR!;
    const replacement = startNodeProcess('apps/worker/main.js', workerEnv(), path.join(dir, 'worker-3.log'));
    appendFileSync(path.join(dir, EXTRA_PIDS_FILE), `${replacement.pid}\n`);
    await waitForWorkerPids(process.env.TMINUS_E2E_TEMPORAL_ADDRESS!, [survivor, replacement.pid!]);
    // The compose file's worker health check, with the worker's own environment.
    const health = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'scripts', 'cluster', 'worker-health.js')], {
      env: { ...process.env, ...workerEnv() },
      encoding: 'utf8',
    });
    expect([health.status, health.stderr]).toEqual([0, '']);
  });
});

/** Resident memory of a process, from /proc (Linux). */
function residentMiB(pid: number): number {
  const kib = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kib) / 1024;
}
