/**
 * Approvals under a quorum (with rejection, an outsider refused and recorded, a missed deadline alerting
 * the head) and a contingency switched on and off, on the time-skipping server.
 */
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { planQueries, planUpdates, UNIT_PLAN_WORKFLOW_TYPE, type UnitPlanInput } from '../../libs/contracts';
import {
  DAY_MS,
  HOUR_MS,
  addCalendarDays,
  localDateOf,
  propagandaPlan,
  provincialCongress,
  type Actor,
} from '../../libs/domain';
import { btv, coordinator, recordHistoryIfAsked, startUnitPlan, withRunningWorker } from './harness';

const head: Actor = { id: 'tvchung', name: 'Trần Văn Chung', roles: ['approver'] };

async function failureOf(promise: Promise<unknown>): Promise<ApplicationFailure> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
    const cause = (err as WorkflowUpdateFailedError).cause;
    expect(cause).toBeInstanceOf(ApplicationFailure);
    return cause as ApplicationFailure;
  }
  throw new Error('the update was expected to fail');
}

describe('approvals and contingencies', () => {
  const ctx = withRunningWorker('approvals');

  async function startPlan(congressId: string, options?: UnitPlanInput['options']): Promise<WorkflowHandle> {
    const h = ctx.h;
    const now = await h.env.currentTimeMs();
    const congress = provincialCongress(congressId, addCalendarDays(localDateOf(now, 'Asia/Ho_Chi_Minh'), 100));
    const plan = propagandaPlan();
    return startUnitPlan(h, { kind: 'start', congress, plan, ...(options ? { options } : {}) });
  }

  it('decides a plan by majority, refuses an outsider, reopens on rejection and alerts the head on a missed deadline', async () => {
    const h = ctx.h;
    const handle = await startPlan('dh-approvals');
    const submitted = await handle.executeUpdate(planUpdates.submitPlanForApproval, { args: [{ actor: coordinator }] });
    const first = submitted.approvalId!;

    // Someone outside the Standing Committee: refused with a typed failure, and the attempt is recorded.
    const refused = await failureOf(
      handle.executeUpdate(planUpdates.decide, {
        args: [{ approvalId: first, decision: 'approve', actor: coordinator }],
      }),
    );
    expect(refused.type).toBe('FORBIDDEN');
    const audit = await handle.query(planQueries.audit, { limit: 500 });
    expect(audit.entries.some((e) => e.action === 'approval.decision-refused' && e.actor === 'vptu-tt1')).toBe(true);

    // Majority of three: one approval, two rejections → rejected, back to draft with the comments.
    await handle.executeUpdate(planUpdates.decide, {
      args: [{ approvalId: first, decision: 'approve', actor: btv(1) }],
    });
    const twice = await failureOf(
      handle.executeUpdate(planUpdates.decide, { args: [{ approvalId: first, decision: 'reject', actor: btv(1) }] }),
    );
    expect(twice.type).toBe('INVALID_TRANSITION');
    await handle.executeUpdate(planUpdates.decide, {
      args: [{ approvalId: first, decision: 'reject', comment: 'Bổ sung kinh phí', actor: btv(2) }],
    });
    const rejected = await handle.executeUpdate(planUpdates.decide, {
      args: [{ approvalId: first, decision: 'reject', comment: 'Chưa rõ tiến độ', actor: btv(3) }],
    });
    expect(rejected.status).toBe('rejected');
    expect((await handle.query(planQueries.view)).status).toBe('draft');

    // Resubmitted; nobody decides within the 5-day window → the head is alerted and may decide alone.
    const second = (await handle.executeUpdate(planUpdates.submitPlanForApproval, { args: [{ actor: coordinator }] }))
      .approvalId!;
    await h.env.sleep(5 * DAY_MS + HOUR_MS);
    const [pending] = await handle.query(planQueries.pendingApprovals);
    expect(pending).toMatchObject({ id: second, escalated: true });
    const alert = h.webhook.received.find((n) => n.event === 'approval-overdue');
    expect(alert?.recipients.map((p) => p.id)).toContain('tvchung');
    const approved = await handle.executeUpdate(planUpdates.decide, {
      args: [{ approvalId: second, decision: 'approve', comment: 'Đồng ý ban hành', actor: head }],
    });
    expect(approved.status).toBe('approved');
    expect((await handle.query(planQueries.view)).status).toBe('active');

    // A task needing approval: rejected → reopened with the comment; then approved → done.
    const completed = await handle.executeUpdate(planUpdates.completeTask, {
      args: [{ taskId: 'TT-01', actor: coordinator }],
    });
    expect(completed.status).toBe('awaiting_approval');
    for (const n of [1, 2]) {
      await handle.executeUpdate(planUpdates.decide, {
        args: [{ approvalId: completed.approvalId!, decision: 'reject', comment: 'Sửa mục 3', actor: btv(n) }],
      });
    }
    const reopened = (await handle.query(planQueries.view)).tasks.find((t) => t.id === 'TT-01')!;
    expect(reopened.status).toBe('reopened');
    const again = await handle.executeUpdate(planUpdates.completeTask, {
      args: [{ taskId: 'TT-01', actor: coordinator }],
    });
    for (const n of [1, 2]) {
      await handle.executeUpdate(planUpdates.decide, {
        args: [{ approvalId: again.approvalId!, decision: 'approve', actor: btv(n) }],
      });
    }
    const task = (await handle.query(planQueries.view)).tasks.find((t) => t.id === 'TT-01')!;
    expect(task.status).toBe('done');
    const reasons = (await handle.query(planQueries.audit, { limit: 500 })).entries
      .filter((e) => e.target === 'TT-01' && e.action === 'task.reopened')
      .map((e) => e.reason);
    expect(reasons).toEqual(['Ủy viên Ban Thường vụ 1: Sửa mục 3; Ủy viên Ban Thường vụ 2: Sửa mục 3']);
    await recordHistoryIfAsked(h.env, handle.workflowId, UNIT_PLAN_WORKFLOW_TYPE, 'approvals');
  });

  it('switches a contingency on after approval and off again, resuming suspended tasks with recomputed deadlines', async () => {
    const h = ctx.h;
    const handle = await startPlan('dh-contingency');
    const submitted = await handle.executeUpdate(planUpdates.submitPlanForApproval, { args: [{ actor: coordinator }] });
    for (const n of [1, 2]) {
      await handle.executeUpdate(planUpdates.decide, {
        args: [{ approvalId: submitted.approvalId!, decision: 'approve', actor: btv(n) }],
      });
    }
    const before = (await handle.query(planQueries.view)).tasks.find((t) => t.id === 'TT-05')!;
    const requested = await handle.executeUpdate(planUpdates.requestContingency, {
      args: [{ scenario: 'epidemic', actor: coordinator }],
    });
    expect(requested.status).toBe('requested');
    for (const n of [1, 2]) {
      await handle.executeUpdate(planUpdates.decide, {
        args: [{ approvalId: requested.approvalId!, decision: 'approve', actor: btv(n) }],
      });
    }
    const activatedAt = await h.env.currentTimeMs();
    let view = await handle.query(planQueries.view);
    expect(view.contingencies.find((c) => c.code === 'epidemic')?.status).toBe('active');
    expect(view.tasks.find((t) => t.id === 'TT-05')?.status).toBe('suspended');
    const screening = view.tasks.find((t) => t.id === 'DB-01')!;
    expect(screening.status).toBe('open');
    expect(Math.round((Date.parse(screening.deadline!) - activatedAt) / HOUR_MS)).toBe(48);
    expect(view.summary.activeContingencies).toEqual(['epidemic']);

    // Twenty days later the epidemic is over: TT-05 gets back the time it had left, DB-* are cancelled.
    await h.env.sleep(20 * DAY_MS);
    await handle.executeUpdate(planUpdates.deactivateContingency, {
      args: [{ scenario: 'epidemic', reason: 'Dịch bệnh đã được kiểm soát', actor: coordinator }],
    });
    view = await handle.query(planQueries.view);
    const resumed = view.tasks.find((t) => t.id === 'TT-05')!;
    expect(resumed.status).toBe('blocked'); // it still waits on TT-02, as before the epidemic
    const shift = Date.parse(resumed.deadline!) - Date.parse(before.deadline!);
    expect(Math.round(shift / DAY_MS)).toBe(20);
    expect(view.tasks.filter((t) => t.scenario === 'epidemic').map((t) => t.status)).toEqual([
      'cancelled',
      'cancelled',
    ]);
    expect(view.contingencies.find((c) => c.code === 'epidemic')?.status).toBe('inactive');
    // A new run has the current rules (patched behaviour): at least a day to finish a resumed task.
    expect((await handle.query(planQueries.state)).rules).toEqual({
      minimumResumeWindowMs: DAY_MS,
      auditKeptInState: 2000,
      commentsKeptInState: 30,
      relativeResumedDeadlines: true,
      idempotencyWindowMs: DAY_MS,
      stateBudgetBytes: 1024 * 1024,
    });
    await recordHistoryIfAsked(h.env, handle.workflowId, UNIT_PLAN_WORKFLOW_TYPE, 'contingency');
  });

  it('writes older audit entries to the archive and keeps the newest in the state, losing none', async () => {
    const h = ctx.h;
    const handle = await startPlan('dh-audit', { auditKeptInState: 5 });
    for (let i = 0; i < 12; i++) {
      await handle.executeUpdate(planUpdates.submitComment, { args: [{ text: `Ý kiến số ${i}`, actor: btv(1) }] });
    }
    // The segments are written by an activity after the loop moved them out: wait for the outbox to drain.
    for (let i = 0; i < 100 && (await handle.query(planQueries.state)).outbox.length > 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const audit = await handle.query(planQueries.audit, { limit: 500 });
    expect(audit.entries.some((e) => e.action === 'effect.failed')).toBe(false);
    expect(audit.entries.length).toBeLessThan(10);
    expect(audit.archivedThroughSeq).toBeGreaterThan(0);
    const { readdir, readFile } = await import('node:fs/promises');
    const folder = `${h.reportsDir}/plan__dh-audit__BPTT/audit`;
    const archived: number[] = [];
    for (const file of (await readdir(folder)).sort()) {
      const segment = JSON.parse(await readFile(`${folder}/${file}`, 'utf8')) as { entries: Array<{ seq: number }> };
      archived.push(...segment.entries.map((e) => e.seq));
    }
    const all = [...archived, ...audit.entries.map((e) => e.seq)];
    expect(all).toEqual(Array.from({ length: all.length }, (_, i) => i + 1));
    expect(archived.at(-1)).toBe(audit.archivedThroughSeq);
  });
});
