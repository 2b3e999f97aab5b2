/**
 * Two ways a plan's clock or life can be held hostage, on real processes: a webhook receiver that stalls on
 * one task's notices (the plan's other deadlines must still be on time), and a plan pushed toward its state
 * budget by a coordinator who writes a lot (it must stay readable and writable, refusing with a clear 4xx).
 * Both failed on the engine before issue 7's rewrite (delivery held the clock; a plan could be killed by size).
 */
import { propagandaPlan, type UnitPlanDefinition } from '../../libs/domain';
import { bearer, FaultStack, http, startCongress, sleep } from './harness';

const coordinator = bearer('vptu-tt1', ['coordinator']);
/** How late a notice may reach the receiver and still count as on time. */
const ON_TIME_MS = 2000;

describe('a stalled receiver and a plan at its state budget', () => {
  let stack: FaultStack;
  let api: { url: string };

  beforeAll(async () => {
    stack = await FaultStack.start('stall-budget');
    await stack.startWorker();
    api = await stack.startApi();
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const startPlan = (congressId: string, plan: UnitPlanDefinition) => startCongress(api.url, congressId, [plan]);

  // Before the engine rewrite the plan's loop awaited each delivery, so this failed (both moments never sent).
  it("keeps the plan's other deadlines on time while the receiver stalls on one task's notices", async () => {
    const congressId = 'dh-fault-stall';
    const workflowId = `plan/${congressId}/BPTT`;
    const now = Date.now();
    const due1 = new Date(now + 6_000).toISOString();
    const due2 = new Date(now + 14_000).toISOString();
    const plan: UnitPlanDefinition = {
      ...propagandaPlan(),
      reminders: [],
      escalationLadder: [
        { after: '0m', notify: ['assignee', 'leadAgencyHead'] },
        { after: '9s', notify: ['unitLead'] },
      ],
      approvalPolicy: { quorum: 'majority', decisionWindow: '1h', planRequiresApproval: false },
      scenarios: [],
      tasks: [
        { id: 'TT-01', title: 'Ban hành kế hoạch', group: 'noi-dung', phase: 'before', leadAgency: 'BTG', due: due1 },
        { id: 'TT-02', title: 'Mở chuyên trang', group: 'bao-chi', phase: 'before', leadAgency: 'BTG', due: due2 },
      ],
    };
    // Every notice about TT-01 is held without an answer; the others are answered at once.
    stack.webhook.answer = (notice) => (notice.body.taskId === 'TT-01' ? { stall: true } : {});
    const path = await startPlan(congressId, plan);
    const view = await http(api.url).get(path).set('Authorization', coordinator).expect(200);
    const deadline = (id: string) =>
      Date.parse(view.body.tasks.find((t: { id: string }) => t.id === id).deadline as string);
    const moments = [
      {
        what: 'TT-02 level 1 (another task)',
        key: `${workflowId}/escalation:TT-02:${deadline('TT-02')}:1`,
        at: deadline('TT-02'),
      },
      // The stalled task's own next step is a deadline of the plan too: it must be produced on time.
      {
        what: 'TT-01 level 2 (the stalled task)',
        key: `${workflowId}/escalation:TT-01:${deadline('TT-01')}:2`,
        at: deadline('TT-01') + 9_000,
      },
    ];
    await sleep(Math.max(...moments.map((m) => m.at)) + 8_000 - Date.now());
    const lateness = moments.map((m) => {
      const first = stack.webhook.of(workflowId).find((n) => n.key === m.key);
      return { what: m.what, lateMs: first ? first.at - m.at : null };
    });
    console.log(`stalled receiver: ${JSON.stringify(lateness)}`);
    for (const m of lateness) expect(m.lateMs).not.toBeNull();
    for (const m of lateness) expect(m.lateMs!).toBeLessThanOrEqual(ON_TIME_MS);
  });

  // Before the engine's state budget and comment archive the plan view failed for good (answer too large).
  it('keeps a plan pushed toward its state budget readable and writable, refusing with a 4xx', async () => {
    const path = await startPlan('dh-fault-budget', { ...propagandaPlan(), scenarios: [] });
    const text = 'Góp ý chi tiết về đề cương tuyên truyền. '.repeat(200).slice(0, 5000);
    const tally: Record<string, number> = {};
    let refusal: { status: number; code?: string; message?: unknown } | undefined;
    for (let i = 0, retries = 0; i < 320; i++) {
      const r = await http(api.url)
        .post(`${path}/comments`)
        .set('Authorization', coordinator)
        .set('Idempotency-Key', `budget-comment-${i}`)
        .send({ text: `${i}: ${text}`.slice(0, 5000) });
      tally[r.status] = (tally[r.status] ?? 0) + 1;
      if (r.status === 200) continue;
      // A 429 is load, not the budget: the API says to retry shortly with the same key, as a client does.
      if (r.status === 429 && retries++ < 5) {
        await sleep(Number(r.headers['retry-after'] ?? 1) * 1000);
        i--;
        continue;
      }
      refusal = { status: r.status, code: r.body.code, message: r.body.message };
      break;
    }
    const view = await http(api.url).get(path).set('Authorization', coordinator);
    const progress = await http(api.url)
      .post(`${path}/tasks/TT-04/progress`)
      .set('Authorization', coordinator)
      .send({ progress: 10 });
    console.log(
      `state budget: comments ${JSON.stringify(tally)}, refusal ${JSON.stringify(refusal)}; ` +
        `then view ${view.status}, progress ${progress.status}`,
    );
    if (refusal) {
      expect(refusal.status).toBeGreaterThanOrEqual(400);
      expect(refusal.status).toBeLessThan(500);
      expect(refusal.status).not.toBe(429);
    }
    expect(view.status).toBe(200);
    expect(progress.status).toBe(200);
  });
});
