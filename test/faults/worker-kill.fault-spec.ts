/**
 * The worker killed (SIGKILL) while notices are in flight to a slow webhook receiver, an approval waits and
 * ladder timers are pending; a new worker is started. Then: no transition lost or doubled (each ladder step
 * and each decision once in the audit log), every notice delivered at least once, a cut delivery delivered
 * again with the same idempotency key, and the ladder steps due after the restart on time.
 */
import { propagandaPlan, type UnitPlanDefinition } from '../../libs/domain';
import { bearer, FaultStack, http, startCongress, killProcess, sleep, type Received } from './harness';

const CONGRESS = 'dh-fault-worker';
const UNIT = 'BPTT';
const PLAN = `/plans/${CONGRESS}/${UNIT}`;
const WORKFLOW_ID = `plan/${CONGRESS}/${UNIT}`;
const coordinator = bearer('vptu-tt1', ['coordinator']);
const approver = (id: string) => bearer(id, ['approver']);
/** Every answer of the receiver waits this long, so that deliveries are in flight when the worker dies. */
const RECEIVER_DELAY_MS = 3000;
const STEP_2_S = 25;
const STEP_3_S = 50;
/** How late a ladder step may reach the receiver and still count as on time. */
const ON_TIME_MS = 3000;

interface AuditEntry {
  action: string;
  target?: string;
  details?: { level?: number };
}

describe('the worker killed with notices in flight, an approval waiting and timers pending', () => {
  let stack: FaultStack;
  let api: { url: string };
  const deadlines = new Map<string, number>();
  let killedAt = 0;
  let readyAt = 0;
  let inFlightAtKill: Received[] = [];
  let approvalId = '';
  let decisionRetries = 0;

  beforeAll(async () => {
    stack = await FaultStack.start('worker-kill');
    stack.webhook.answer = () => ({ delayMs: RECEIVER_DELAY_MS });
    const worker = await stack.startWorker();
    api = await stack.startApi();

    const due = new Date(Date.now() + 8000).toISOString();
    const base = propagandaPlan();
    const plan: UnitPlanDefinition = {
      ...base,
      reminders: [],
      escalationLadder: [
        { after: '0m', notify: ['assignee', 'leadAgencyHead'] },
        { after: `${STEP_2_S}s`, notify: ['unitLead'] },
        { after: `${STEP_3_S}s`, notify: ['standingSection'] },
      ],
      approvalPolicy: { quorum: 'majority', decisionWindow: '1h', planRequiresApproval: false },
      scenarios: [],
      tasks: [
        {
          id: 'TT-01',
          title: 'Ban hành kế hoạch',
          group: 'noi-dung',
          phase: 'before',
          leadAgency: 'BTG',
          responsible: 'ptthang',
          due,
        },
        { id: 'TT-02', title: 'Mở chuyên trang', group: 'bao-chi', phase: 'before', leadAgency: 'BTG', due },
        {
          id: 'TT-03',
          title: 'Đề cương tuyên truyền',
          group: 'noi-dung',
          phase: 'before',
          leadAgency: 'BTG',
          due: 'T-20d',
          requiresApproval: true,
        },
      ],
    };
    await startCongress(api.url, CONGRESS, [plan]);
    const completed = await http(api.url)
      .post(`${PLAN}/tasks/TT-03/complete`)
      .set('Authorization', coordinator)
      .send({})
      .expect(200);
    expect(completed.body.status).toBe('awaiting_approval');
    approvalId = completed.body.approvalId;
    const view = await http(api.url).get(PLAN).set('Authorization', coordinator).expect(200);
    for (const task of view.body.tasks as Array<{ id: string; deadline?: string }>) {
      if (task.deadline) deadlines.set(task.id, Date.parse(task.deadline));
    }

    // Kill as soon as both level-1 notices have reached the receiver: their answers are still 3 s away.
    const level1 = (n: Received) => n.body.level === 1 && n.body.workflowId === WORKFLOW_ID;
    for (let i = 0; stack.webhook.received.filter(level1).length < 2; i++) {
      if (i > 600) throw new Error('no level-1 notices arrived');
      await sleep(50);
    }
    await killProcess(worker, 'SIGKILL');
    killedAt = Date.now();
    inFlightAtKill = stack.webhook.of(WORKFLOW_ID).filter((n) => n.at > killedAt - RECEIVER_DELAY_MS);
    await sleep(1000);
    await stack.startWorker();
    readyAt = Date.now();

    // The approval that waited through the crash is decided on the new worker. Until the dead worker's
    // workflow task times out the plan cannot answer: 503 with Retry-After, retried with the same key.
    for (const id of ['btv-1', 'btv-2']) {
      for (let attempt = 0; ; attempt++) {
        const r = await http(api.url)
          .post(`/approvals/${CONGRESS}/${UNIT}/${approvalId}/decision`)
          .set('Authorization', approver(id))
          .set('Idempotency-Key', `decision-${id}-after-crash`)
          .send({ decision: 'approve' });
        if (r.status === 200) break;
        expect({ status: r.status, retryAfter: r.headers['retry-after'] }).toEqual({
          status: 503,
          retryAfter: expect.stringMatching(/^\d+$/),
        });
        decisionRetries++;
        if (attempt > 10) throw new Error(`decision by ${id} still refused`);
        await sleep(Number(r.headers['retry-after']) * 1000);
      }
    }
    // Wait for the top of the ladder and for the redelivery of what was cut (activity timeout: 1 minute).
    const lastStep = Math.max(...['TT-01', 'TT-02'].map((t) => deadlines.get(t)!)) + STEP_3_S * 1000;
    const redelivered = () =>
      inFlightAtKill.every((cut) => stack.webhook.received.some((n) => n.key === cut.key && n.at > readyAt));
    const hasTop = () => stack.webhook.of(WORKFLOW_ID).filter((n) => n.body.level === 3).length >= 2;
    while (!(redelivered() && hasTop()) && Date.now() < Math.max(lastStep, killedAt + 60_000) + 15_000) {
      await sleep(500);
    }
    await sleep(RECEIVER_DELAY_MS + 500);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const audit = async () =>
    (await http(api.url).get(`${PLAN}/audit`).query({ limit: 500 }).set('Authorization', coordinator).expect(200)).body
      .entries as AuditEntry[];
  const count = (entries: AuditEntry[], action: string, target: string, level?: number) =>
    entries.filter(
      (e) => e.action === action && e.target === target && (level === undefined || e.details?.level === level),
    ).length;
  const escalationKey = (task: string, level: number) =>
    `${WORKFLOW_ID}/escalation:${task}:${deadlines.get(task)}:${level}`;

  it('loses and doubles no decision, and delivers a notice cut by the kill again, with the same key', async () => {
    const entries = await audit();
    expect(count(entries, 'approval.requested', approvalId)).toBe(1);
    expect(count(entries, 'approval.approve', approvalId)).toBe(2);
    expect(count(entries, 'approval.approved', approvalId)).toBe(1);
    for (const task of ['TT-01', 'TT-02']) expect(count(entries, 'task.escalated', task, 1)).toBe(1);
    const view = await http(api.url).get(PLAN).set('Authorization', coordinator).expect(200);
    expect(view.body.tasks.find((t: { id: string }) => t.id === 'TT-03').status).toBe('done');

    const notices = stack.webhook.of(WORKFLOW_ID);
    const keys = new Set(notices.map((n) => n.key));
    console.log(
      `worker SIGKILL: decisions retried ${decisionRetries} times; ${notices.length} deliveries of ${keys.size} ` +
        `notices; ${inFlightAtKill.length} in flight at the kill, deliveries of each: ` +
        JSON.stringify(inFlightAtKill.map((cut) => notices.filter((n) => n.key === cut.key).length)),
    );
    expect(['TT-01', 'TT-02'].map((t) => keys.has(escalationKey(t, 1)))).toEqual([true, true]);
    expect(inFlightAtKill.length).toBeGreaterThan(0);
    for (const cut of inFlightAtKill) {
      expect(notices.some((n) => n.key === cut.key && n.at > readyAt)).toBe(true);
      // The same notice each time: same key, same content.
      for (const again of notices.filter((n) => n.key === cut.key)) expect(again.body).toEqual(cut.body);
    }
  });

  // Failed before the engine rewrite (issue 7: lost wake-ups, delivery holding the clock): levels 2, 3 never sent.
  it('climbs the whole ladder after the restart: each step once, delivered, on time', async () => {
    const entries = await audit();
    const steps = ['TT-01', 'TT-02'].flatMap((t) =>
      [1, 2, 3].map((level) => [t, level, count(entries, 'task.escalated', t, level)]),
    );
    const keys = new Set(stack.webhook.of(WORKFLOW_ID).map((n) => n.key));
    const lateness = ['TT-01', 'TT-02'].flatMap((t) =>
      [2, 3].map((level) => {
        const moment = deadlines.get(t)! + (level === 2 ? STEP_2_S : STEP_3_S) * 1000;
        const first = stack.webhook.of(WORKFLOW_ID).find((n) => n.key === escalationKey(t, level));
        // A step that came due while no worker ran is on time if it goes out as soon as the new one polls.
        return { task: t, level, lateMs: first ? first.at - Math.max(moment, readyAt) : null };
      }),
    );
    console.log(
      `worker SIGKILL: ladder steps in the audit log ${JSON.stringify(steps)}, lateness ${JSON.stringify(lateness)}`,
    );
    expect(steps).toEqual(['TT-01', 'TT-02'].flatMap((t) => [1, 2, 3].map((level) => [t, level, 1])));
    expect(['TT-01', 'TT-02'].flatMap((t) => [1, 2, 3].filter((level) => !keys.has(escalationKey(t, level))))).toEqual(
      [],
    );
    for (const step of lateness) expect(step.lateMs).not.toBeNull();
    for (const step of lateness) expect(step.lateMs!).toBeLessThanOrEqual(ON_TIME_MS);
  });
});
