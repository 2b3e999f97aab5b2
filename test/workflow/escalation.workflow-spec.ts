import { planQueries, planUpdates } from '../../libs/contracts';
import {
  DAY_MS,
  HOUR_MS,
  addCalendarDays,
  localDateOf,
  provincialCongress,
  propagandaPlan,
  type UnitPlanDefinition,
} from '../../libs/domain';
import { coordinator, startUnitPlan, withRunningWorker } from './harness';

/** When a notification was produced, in whole minutes from `deadline` (timers fire a few ms late). */
const minutesFrom = (deadline: number, at: string) => Math.round((Date.parse(at) - deadline) / 60_000);

describe('escalation ladder on the time-skipping server', () => {
  const ctx = withRunningWorker('escalation');

  it('climbs one step at a time at the configured delays, once each, and stops when the task is done', async () => {
    const h = ctx.h;
    const now = await h.env.currentTimeMs();
    const congress = provincialCongress('dh-escalation', addCalendarDays(localDateOf(now, 'Asia/Ho_Chi_Minh'), 60));
    const plan: UnitPlanDefinition = {
      ...propagandaPlan(),
      approvalPolicy: { quorum: 'majority', decisionWindow: '5d', planRequiresApproval: false },
      tasks: [
        {
          id: 'TT-01',
          title: 'Ban hành kế hoạch tuyên truyền',
          group: 'noi-dung',
          phase: 'before',
          leadAgency: 'BTG',
          responsible: 'ptthang',
          due: 'T-50d',
        },
        { id: 'TT-02', title: 'Mở chuyên trang', group: 'bao-chi', phase: 'before', leadAgency: 'BAO', due: 'T-20d' },
      ],
      scenarios: [],
    };
    const handle = await startUnitPlan(h, { kind: 'start', congress, plan });
    const view = await handle.query(planQueries.view);
    const deadline = Date.parse(view.tasks.find((t) => t.id === 'TT-01')!.deadline!);

    // Reminders at deadline-7d and deadline-1d, then step 1 at the deadline.
    await h.env.sleep(deadline + HOUR_MS - (await h.env.currentTimeMs()));
    const escalationsOf = async () =>
      (await handle.query(planQueries.escalations)).find((t) => t.id === 'TT-01')?.firedLevels ?? [];
    expect(await escalationsOf()).toEqual([1]);
    const reminders = h.webhook.byTask('TT-01').filter((n) => n.event === 'reminder');
    expect(reminders.map((n) => minutesFrom(deadline, n.createdAt))).toEqual([-7 * 24 * 60, -24 * 60]);

    await h.env.sleep(2 * DAY_MS);
    expect(await escalationsOf()).toEqual([1, 2]);
    await h.env.sleep(2 * DAY_MS);
    expect(await escalationsOf()).toEqual([1, 2, 3]);

    await handle.executeUpdate(planUpdates.completeTask, { args: [{ taskId: 'TT-01', actor: coordinator }] });
    await h.env.sleep(10 * DAY_MS);
    expect(await escalationsOf()).toEqual([]);

    const climbs = h.webhook.byTask('TT-01').filter((n) => n.level !== undefined);
    expect(climbs.map((n) => n.level)).toEqual([1, 2, 3]);
    expect(climbs.map((n) => minutesFrom(deadline, n.createdAt))).toEqual([0, 2 * 24 * 60, 4 * 24 * 60]);
    expect(climbs.every((n) => n.signatureValid)).toBe(true);
    expect(new Set(h.webhook.received.map((n) => n.idempotencyKey)).size).toBe(h.webhook.received.length);
    // Step 1 goes to the assignee and the lead agency's head, step 2 to the unit lead, step 3 to the standing section.
    expect(climbs[0].recipients.map((p) => p.id)).toEqual(['ptthang']);
    expect(climbs[2].recipients.map((p) => p.id)).toEqual(['vptu-tt1', 'vptu-tt2']);
    expect(climbs[0].subject).toContain('[Quá hạn]');

    const state = await handle.query(planQueries.view);
    expect(state.tasks.find((t) => t.id === 'TT-01')!.status).toBe('done');
  });
});
