/**
 * The whole story of one congress over HTTP, against the built API and worker on a real dev server: created
 * from a full definition, the draft commented on, submitted and approved by quorum; tasks worked on and one
 * approved; a task overdue climbing a (fast) escalation ladder with signed webhook notices; a contingency
 * requested, approved and lifted; congress day moved; and at the end empty inboxes, an audit log naming the
 * callers from their tokens, and idempotent retries. One `it` per chapter, in order, sharing state.
 */
import { createHmac } from 'node:crypto';
import { api, bearer, eventually, webhookCalls, type WebhookCall } from './client';
import { E2E_WEBHOOK_SECRET } from './stack';
import {
  addCalendarDays,
  buildScheduleContext,
  localDateOf,
  propagandaPlan,
  provincialCongress,
  resolveDueText,
  type EscalationStep,
  type UnitPlanDefinition,
} from '../../libs/domain';

const CONGRESS = 'dh-story';
const UNIT = 'BPTT';
const PLAN = `/plans/${CONGRESS}/${UNIT}`;
const WORKFLOW_ID = `plan/${CONGRESS}/${UNIT}`;
const TZ = 'Asia/Ho_Chi_Minh';
const DAY_MS = 24 * 60 * 60 * 1000;
const MOVE_DAYS = 7;

const coordinator = bearer('vptu-tt1', ['coordinator']);
const APPROVERS = ['btv-1', 'btv-2', 'btv-3'] as const;
const approver = (id: string) => bearer(id, ['approver']);

/** A ladder of seconds instead of days, so that a task climbs all of it during the test. */
const FAST_LADDER: EscalationStep[] = [
  { after: '0m', notify: ['assignee', 'leadAgencyHead'] },
  { after: '3s', notify: ['unitLead'] },
  { after: '6s', notify: ['standingSection'] },
];

interface TaskView {
  id: string;
  status: string;
  deadline?: string;
  progress: number;
  overdue: boolean;
  escalationLevel: number;
  scenario?: string;
}
interface PlanView {
  status: string;
  congress: { startDate: string; endDate: string };
  tasks: TaskView[];
  comments: Array<{ by: string; text: string }>;
  contingencies: Array<{ code: string; status: string }>;
  summary: { done: number };
}
interface InboxItem {
  id: string;
  kind: string;
  congressId: string;
  unitCode: string;
  subject: { kind: string; taskId?: string; scenario?: string };
  links: { decide: string };
}
interface AuditEntry {
  actor: string;
  action: string;
  target?: string;
  reason?: string;
  details?: Record<string, unknown>;
}

async function view(): Promise<PlanView> {
  const response = await api().get(PLAN).set('Authorization', coordinator).expect(200);
  return response.body as PlanView;
}

function task(plan: PlanView, id: string): TaskView {
  const found = plan.tasks.find((t) => t.id === id);
  if (!found) throw new Error(`task ${id} is not in the plan`);
  return found;
}

/** The approver's pending items for this congress (the inbox spans every plan on the shared server). */
async function inbox(approverId: string): Promise<InboxItem[]> {
  const response = await api().get('/approvals/inbox').set('Authorization', approver(approverId)).expect(200);
  return (response.body.items as InboxItem[]).filter((item) => item.congressId === CONGRESS);
}

async function decide(approverId: string, approvalId: string, comment: string) {
  return api()
    .post(`/approvals/${CONGRESS}/${UNIT}/${approvalId}/decision`)
    .set('Authorization', approver(approverId))
    .send({ decision: 'approve', comment })
    .expect(200);
}

async function auditLog(): Promise<AuditEntry[]> {
  const response = await api().get(`${PLAN}/audit?limit=500`).set('Authorization', coordinator).expect(200);
  expect(response.body.entries.length).toBe(response.body.total);
  return response.body.entries as AuditEntry[];
}

describe('the story of one congress, over HTTP', () => {
  const startDate = addCalendarDays(localDateOf(Date.now(), TZ), 60);
  const congress = provincialCongress(CONGRESS, startDate);
  const plan: UnitPlanDefinition = {
    ...propagandaPlan(),
    escalationLadder: FAST_LADDER,
    approvalPolicy: { quorum: 'majority', decisionWindow: '5d', planRequiresApproval: true, commentWindow: '1h' },
  };
  const dueOf = Object.fromEntries(plan.tasks.map((t) => [t.id, t.due]));
  const initialDeadlines: Record<string, string> = {};
  let planApproval = '';
  let overdueDeadline = 0;

  it('chapter 1: a coordinator creates the congress from a full definition; its plan starts as a draft', async () => {
    const created = await api()
      .post('/congresses')
      .set('Authorization', coordinator)
      .send({ congress, plans: [plan] })
      .expect(201);
    expect(created.body).toMatchObject({
      workflowId: `congress/${CONGRESS}`,
      congressId: CONGRESS,
      plans: [{ unitCode: UNIT, workflowId: WORKFLOW_ID }],
    });

    const draft = await eventually(async () => {
      const r = await api().get(PLAN).set('Authorization', coordinator);
      return r.status === 200 ? (r.body as PlanView) : undefined;
    });
    expect(draft.status).toBe('draft');
    expect(draft.tasks.map((t) => t.id)).toEqual(['TT-01', 'TT-02', 'TT-03', 'TT-04', 'TT-05', 'TT-06', 'TT-07']);
    expect(task(draft, 'TT-01').status).toBe('open');
    expect(task(draft, 'TT-02').status).toBe('blocked'); // waits on TT-01

    // Every deadline is the one the schedule maths gives for the template's "T-30d", "T-10wd", "E+14d"…
    const ctx = buildScheduleContext({ startDate, endDate: congress.endDate, timeZone: TZ }, undefined);
    for (const t of draft.tasks) {
      expect([t.id, t.deadline]).toEqual([t.id, new Date(resolveDueText(dueOf[t.id], ctx)!).toISOString()]);
      initialDeadlines[t.id] = t.deadline!;
    }
  });

  it('chapter 2: the draft gets written comments, is submitted, reaches every inbox and is approved by quorum', async () => {
    const comment = await api()
      .post(`${PLAN}/comments`)
      .set('Authorization', coordinator)
      .send({ text: 'Đề nghị bổ sung tiến độ thực hiện cho từng tổ' })
      .expect(200);
    expect(comment.body).toEqual({ ok: true, status: 'draft' });
    await api()
      .post(`${PLAN}/comments`)
      .set('Authorization', approver('btv-3'))
      .send({ text: 'Cần làm rõ kinh phí triển lãm ảnh' })
      .expect(200);
    expect((await view()).comments.map((c) => c.by)).toEqual(['vptu-tt1', 'btv-3']);

    const submitted = await api().post(`${PLAN}/submit`).set('Authorization', coordinator).expect(200);
    expect(submitted.body).toMatchObject({ ok: true, status: 'awaiting_approval' });
    planApproval = submitted.body.approvalId;
    expect(planApproval).toBeTruthy();

    for (const id of APPROVERS) {
      const items = await eventually(
        async () => {
          const mine = await inbox(id);
          return mine.some((i) => i.id === planApproval) ? mine : undefined;
        },
        30_000,
        `the plan in ${id}'s inbox`,
      );
      expect(items.find((i) => i.id === planApproval)).toMatchObject({
        kind: 'plan',
        unitCode: UNIT,
        links: { decide: `/approvals/${CONGRESS}/${UNIT}/${planApproval}/decision` },
      });
    }

    expect((await decide('btv-1', planApproval, 'Đồng ý')).body).toEqual({
      ok: true,
      approvalId: planApproval,
      status: 'pending',
    });
    expect((await decide('btv-2', planApproval, 'Đồng ý, đề nghị triển khai')).body).toEqual({
      ok: true,
      approvalId: planApproval,
      status: 'approved',
    });
    expect((await view()).status).toBe('active');

    // The third member has nothing left to decide on; neither have the two who decided.
    for (const id of APPROVERS) {
      await eventually(
        async () => ((await inbox(id)).some((i) => i.id === planApproval) ? undefined : true),
        30_000,
        `the plan to leave ${id}'s inbox`,
      );
    }
  });

  it('chapter 3: tasks progress and complete; a task needing approval waits in the inbox and is approved', async () => {
    const progress = await api()
      .post(`${PLAN}/tasks/TT-01/progress`)
      .set('Authorization', coordinator)
      .send({ progress: 60, note: 'Đã có dự thảo kế hoạch' })
      .expect(200);
    expect(progress.body).toEqual({ ok: true, taskId: 'TT-01', status: 'in_progress' });
    expect(task(await view(), 'TT-01').progress).toBe(60);

    const completed = await api()
      .post(`${PLAN}/tasks/TT-01/complete`)
      .set('Authorization', coordinator)
      .send({ note: 'Trình Ban Thường vụ kế hoạch 03-KH/TB-BPTT' })
      .expect(200);
    expect(completed.body).toMatchObject({ ok: true, taskId: 'TT-01', status: 'awaiting_approval' });
    const taskApproval: string = completed.body.approvalId;
    expect(taskApproval).toBeTruthy();

    const item = await eventually(
      async () => (await inbox('btv-1')).find((i) => i.id === taskApproval),
      30_000,
      'the task approval in the inbox',
    );
    expect(item).toMatchObject({ kind: 'task', subject: { kind: 'task', taskId: 'TT-01' } });

    await decide('btv-1', taskApproval, 'Đồng ý');
    expect((await decide('btv-3', taskApproval, 'Đồng ý')).body.status).toBe('approved');

    let current = await view();
    expect(task(current, 'TT-01')).toMatchObject({ status: 'done', progress: 100 });
    expect(task(current, 'TT-02').status).toBe('open'); // its prerequisite is done

    await api()
      .post(`${PLAN}/tasks/TT-02/progress`)
      .set('Authorization', coordinator)
      .send({ progress: 40 })
      .expect(200);
    const done = await api()
      .post(`${PLAN}/tasks/TT-02/complete`)
      .set('Authorization', coordinator)
      .send({ note: 'Đã phát hành đề cương' })
      .expect(200);
    expect(done.body).toEqual({ ok: true, taskId: 'TT-02', status: 'done' });

    current = await view();
    expect(task(current, 'TT-05').status).toBe('open');
    expect(current.summary.done).toBe(2);
    // The congress view gives the plan's figures as they are now (a completion alone sends the congress nothing).
    const congressView = await api().get(`/congresses/${CONGRESS}`).set('Authorization', coordinator).expect(200);
    expect(congressView.body.progress.BPTT).toMatchObject({ unitCode: 'BPTT', done: 2 });
  });

  it('chapter 4: an overdue task climbs the ladder, with signed webhook notices in order of level', async () => {
    const due = new Date(Date.now() + 3000).toISOString();
    const added = await api()
      .post(`${PLAN}/tasks`)
      .set('Authorization', coordinator)
      .send({
        task: {
          id: 'TT-08',
          title: 'Phát hành ấn phẩm đặc biệt chào mừng Đại hội',
          group: 'bao-chi',
          phase: 'before',
          leadAgency: 'BTG',
          responsible: 'ptthang',
          due,
        },
        reason: 'Bổ sung theo kết luận phiên họp Tiểu ban',
      })
      .expect(201);
    expect(added.body).toEqual({ ok: true, taskId: 'TT-08', status: 'open' });
    overdueDeadline = Date.parse(due);

    const escalated = await eventually(
      async () => {
        const r = await api().get(`${PLAN}/escalations`).set('Authorization', coordinator).expect(200);
        const entry = (r.body as Array<TaskView & { firedLevels: number[] }>).find((t) => t.id === 'TT-08');
        return entry && entry.firedLevels.length === 3 ? entry : undefined;
      },
      30_000,
      'three ladder steps for TT-08',
    );
    expect(escalated).toMatchObject({ firedLevels: [1, 2, 3], overdue: true, escalationLevel: 3 });

    const overdue = await api().get(`${PLAN}/overdue`).set('Authorization', coordinator).expect(200);
    expect(overdue.body.map((t: TaskView) => t.id)).toContain('TT-08');

    // The webhook receiver got one notice per level, in order, each signed over its raw body.
    const notices = await eventually(
      async () => {
        const seen = new Set<string>();
        const mine = webhookCalls().filter((call) => {
          const body = JSON.parse(call.body) as { workflowId: string; taskId?: string; event: string };
          const key = call.headers['idempotency-key'];
          if (body.workflowId !== WORKFLOW_ID || body.taskId !== 'TT-08') return false;
          if (body.event !== 'overdue' && body.event !== 'escalation') return false;
          if (seen.has(key)) return false; // a redelivery carries the same key
          seen.add(key);
          return true;
        });
        return mine.length >= 3 ? mine : undefined;
      },
      15_000,
      'three escalation notices for TT-08',
    );
    const bodies = notices.map((call: WebhookCall) => {
      const expected = `sha256=${createHmac('sha256', E2E_WEBHOOK_SECRET).update(call.body).digest('hex')}`;
      expect(call.headers['x-tminus-signature']).toBe(expected);
      const body = JSON.parse(call.body) as {
        level: number;
        event: string;
        idempotencyKey: string;
        recipients: Array<{ id: string }>;
      };
      expect(call.headers['idempotency-key']).toBe(body.idempotencyKey);
      return body;
    });
    expect(bodies.map((b) => [b.level, b.event])).toEqual([
      [1, 'overdue'],
      [2, 'escalation'],
      [3, 'escalation'],
    ]);
    expect(bodies.map((b) => b.idempotencyKey)).toEqual(
      [1, 2, 3].map((level) => `${WORKFLOW_ID}/escalation:TT-08:${overdueDeadline}:${level}`),
    );
    // Level 1: assignee and head of the lead agency (both ptthang); 2: unit lead; 3: the standing section.
    expect(bodies.map((b) => b.recipients.map((r) => r.id))).toEqual([
      ['ptthang'],
      ['ptthang'],
      ['vptu-tt1', 'vptu-tt2'],
    ]);
  });

  it('chapter 5: a contingency is requested, approved by quorum, suspends a task and adds its own; then lifted', async () => {
    const requested = await api()
      .post(`${PLAN}/contingencies/epidemic/request`)
      .set('Authorization', coordinator)
      .send({ reason: 'Dịch bệnh có nguy cơ lây lan trên địa bàn tỉnh' })
      .expect(200);
    expect(requested.body).toMatchObject({ ok: true, status: 'requested' });
    const contingencyApproval: string = requested.body.approvalId;

    const item = await eventually(
      async () => (await inbox('btv-2')).find((i) => i.id === contingencyApproval),
      30_000,
      'the contingency in the inbox',
    );
    expect(item).toMatchObject({ kind: 'contingency', subject: { scenario: 'epidemic' } });
    await decide('btv-2', contingencyApproval, 'Đồng ý kích hoạt');
    expect((await decide('btv-3', contingencyApproval, 'Đồng ý')).body.status).toBe('approved');

    let current = await view();
    expect(current.contingencies.find((c) => c.code === 'epidemic')?.status).toBe('active');
    expect(task(current, 'TT-05').status).toBe('suspended');
    expect(task(current, 'DB-01')).toMatchObject({ status: 'open', scenario: 'epidemic' });
    expect(task(current, 'DB-02')).toMatchObject({ status: 'open', scenario: 'epidemic' });
    const listed = await eventually(async () => {
      const r = await api()
        .get(`/plans?congress=${CONGRESS}&contingency=epidemic`)
        .set('Authorization', coordinator)
        .expect(200);
      return r.body.items.length === 1 ? r.body.items : undefined;
    });
    expect(listed[0]).toMatchObject({ unitCode: UNIT, contingency: 'epidemic' });

    const lifted = await api()
      .post(`${PLAN}/contingencies/epidemic/deactivate`)
      .set('Authorization', coordinator)
      .send({ reason: 'Dịch bệnh đã được kiểm soát' })
      .expect(200);
    expect(lifted.body).toEqual({ ok: true, status: 'inactive' });

    current = await view();
    expect(current.contingencies.find((c) => c.code === 'epidemic')?.status).toBe('inactive');
    expect(task(current, 'TT-05').status).toBe('open');
    expect(task(current, 'DB-01').status).toBe('cancelled');
    expect(task(current, 'DB-02').status).toBe('cancelled');
  });

  it('chapter 6: congress day moves and every congress-relative deadline moves with it', async () => {
    const newStart = addCalendarDays(startDate, MOVE_DAYS);
    const newEnd = addCalendarDays(congress.endDate, MOVE_DAYS);
    const moved = await api()
      .post(`/congresses/${CONGRESS}/move`)
      .set('Authorization', coordinator)
      .send({ startDate: newStart, endDate: newEnd, reason: 'Bộ Chính trị cho ý kiến lùi thời gian tổ chức' })
      .expect(200);
    expect(moved.body).toEqual({ ok: true, plans: 1 });

    const ctx = buildScheduleContext({ startDate: newStart, endDate: newEnd, timeZone: TZ }, undefined);
    const after = await eventually(
      async () => {
        const current = await view();
        return current.congress.startDate === newStart ? current : undefined;
      },
      30_000,
      'the plan to follow congress day',
    );
    const shift = (id: string) => (Date.parse(task(after, id).deadline!) - Date.parse(initialDeadlines[id])) / DAY_MS;
    // Calendar-day deadlines (T-30d, T-7d, T+0d@12:00, E+14d) move by exactly the same number of days …
    // (TT-05, resumed after the contingency, also keeps the seconds it was suspended: hence to the minute.)
    const toTheMinute = (days: number) => Math.round(days * 24 * 60) / (24 * 60);
    expect(['TT-04', 'TT-05', 'TT-06', 'TT-07'].map((id) => [id, toTheMinute(shift(id))])).toEqual(
      ['TT-04', 'TT-05', 'TT-06', 'TT-07'].map((id) => [id, MOVE_DAYS]),
    );
    // … "10 working days before" is counted again from the new day …
    expect(task(after, 'TT-03').deadline).toBe(new Date(resolveDueText(dueOf['TT-03'], ctx)!).toISOString());
    expect(shift('TT-03')).toBeGreaterThan(0);
    // … and done tasks and fixed instants keep theirs.
    expect(shift('TT-01')).toBe(0);
    expect(shift('TT-02')).toBe(0);
    expect(Date.parse(task(after, 'TT-08').deadline!)).toBe(overdueDeadline);

    const congressView = await api().get(`/congresses/${CONGRESS}`).set('Authorization', coordinator).expect(200);
    expect(congressView.body.congress).toMatchObject({ startDate: newStart, endDate: newEnd });
    expect(congressView.body.history).toEqual([
      expect.objectContaining({ actor: 'vptu-tt1', action: 'congress.moved' }),
    ]);
  });

  it('chapter 7: inboxes are empty; the audit log names the callers from their tokens, never one from a body', async () => {
    for (const id of APPROVERS) {
      await eventually(
        async () => ((await inbox(id)).length === 0 ? true : undefined),
        30_000,
        `${id}'s inbox to empty`,
      );
    }

    // An actor in a body is refused, whatever its shape and whichever route.
    const forged = [
      api().post(`${PLAN}/comments`).set('Authorization', coordinator).send({ text: 'Ý kiến', actor: 'mallory' }),
      api()
        .post(`${PLAN}/tasks/TT-07/complete`)
        .set('Authorization', coordinator)
        .send({ note: 'xong', actor: { id: 'mallory', name: 'Mallory', roles: ['admin'] } }),
      api()
        .post(`/approvals/${CONGRESS}/${UNIT}/${planApproval}/decision`)
        .set('Authorization', approver('btv-3'))
        .send({ decision: 'approve', actor: 'mallory' }),
      api()
        .post(`/congresses/${CONGRESS}/move`)
        .set('Authorization', coordinator)
        .send({ startDate: startDate, endDate: congress.endDate, reason: 'x', actor: 'mallory' }),
    ];
    for (const response of await Promise.all(forged)) {
      expect(response.status).toBe(400);
      expect(response.body.issues).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'actor' })]));
    }

    const entries = await auditLog();
    expect(JSON.stringify(entries)).not.toContain('mallory');
    const current = await view();
    expect(current.comments.map((c) => c.by)).toEqual(['vptu-tt1', 'btv-3']);
    expect(task(current, 'TT-07').status).toBe('open');
    expect(current.congress.startDate).toBe(addCalendarDays(startDate, MOVE_DAYS));

    const who = (action: string, target?: string) =>
      entries.filter((e) => e.action === action && (target === undefined || e.target === target)).map((e) => e.actor);
    expect(who('plan.commented')).toEqual(['vptu-tt1', 'btv-3']);
    expect(who('plan.submitted')).toEqual(['vptu-tt1']);
    expect(who('approval.approve', planApproval)).toEqual(['btv-1', 'btv-2']);
    expect(who('task.in_progress', 'TT-01')).toEqual(['vptu-tt1']);
    expect(who('task.done', 'TT-02')).toEqual(['vptu-tt1']);
    expect(who('task.added', 'TT-08')).toEqual(['vptu-tt1']);
    expect(who('contingency.deactivated', 'epidemic')).toEqual(['vptu-tt1']);
    expect(who('congress.moved')).toEqual(['vptu-tt1']);
    expect(entries.filter((e) => e.action === 'task.escalated' && e.target === 'TT-08')).toEqual(
      [1, 2, 3].map((level) => expect.objectContaining({ actor: 'system', details: { level } })),
    );
  });

  it('chapter 8: a retried completion with the same Idempotency-Key returns the first answer and completes once', async () => {
    const key = 'story-complete-TT-04';
    const first = await api()
      .post(`${PLAN}/tasks/TT-04/complete`)
      .set('Authorization', coordinator)
      .set('Idempotency-Key', key)
      .send({ note: 'Chuyên trang đã lên sóng' })
      .expect(200);
    expect(first.body).toEqual({ ok: true, taskId: 'TT-04', status: 'done' });
    const second = await api()
      .post(`${PLAN}/tasks/TT-04/complete`)
      .set('Authorization', coordinator)
      .set('Idempotency-Key', key)
      .send({ note: 'Chuyên trang đã lên sóng' })
      .expect(200);
    expect(second.body).toEqual({ ...first.body, replayed: true });

    // Without the key, the same request is a new one, and the task is already done.
    await api().post(`${PLAN}/tasks/TT-04/complete`).set('Authorization', coordinator).send({}).expect(409);

    const completions = (await auditLog()).filter((e) => e.action === 'task.done' && e.target === 'TT-04');
    expect(completions).toHaveLength(1);
    expect(completions[0].actor).toBe('vptu-tt1');
  });
});
