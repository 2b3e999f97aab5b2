/**
 * Cross-unit dependencies when plans join later (issue 7): watch lists come from the congress's subscribers,
 * so a plan added later, or after the congress continued as new, is told which of its tasks others wait on,
 * and a running plan is told when a new plan depends on one of its tasks.
 */
import {
  CONGRESS_WORKFLOW_TYPE,
  congressStartSearchAttributes,
  congressQueries,
  congressUpdates,
  congressWorkflowId,
  planQueries,
  planUpdates,
  planWorkflowId,
  type CongressInput,
} from '../../libs/contracts';
import {
  addCalendarDays,
  createCongressState,
  localDateOf,
  logisticsPlan,
  provincialCongress,
  securityPlan,
} from '../../libs/domain';
import { btv, coordinator, eventually, recordHistoryIfAsked, withRunningWorker } from './harness';

describe('congress watch lists', () => {
  const ctx = withRunningWorker('congress-watch');

  async function startCongress(id: string, input: (congress: ReturnType<typeof provincialCongress>) => CongressInput) {
    const now = await ctx.h.env.currentTimeMs();
    const congress = provincialCongress(id, addCalendarDays(localDateOf(now, 'Asia/Ho_Chi_Minh'), 90));
    const handle = await ctx.h.env.client.workflow.start(CONGRESS_WORKFLOW_TYPE, {
      workflowId: congressWorkflowId(id),
      taskQueue: ctx.h.taskQueue,
      args: [input(congress)],
      typedSearchAttributes: congressStartSearchAttributes(id),
    });
    const plan = (unit: string) => ctx.h.env.client.workflow.getHandle(planWorkflowId(id, unit));
    return { handle, plan, congress };
  }

  it('tells a running plan when a plan added later depends on one of its tasks', async () => {
    const { handle, plan } = await startCongress('dh-watch-added', (congress) => ({
      kind: 'start',
      congress,
      plans: [logisticsPlan()],
    }));
    await handle.executeUpdate(congressUpdates.addPlan, { args: [{ actor: coordinator, plan: securityPlan() }] });
    // Logistics started (or was starting) before security existed; it must now announce HC-02, which security
    // waits on.
    const watched = await eventually(
      async () => {
        const state = await plan('BPHC').query(planQueries.state);
        return state.watchedTasks.includes('HC-02') ? state.watchedTasks : undefined;
      },
      'BPHC told to watch HC-02',
      150,
    );
    expect(watched).toContain('HC-02');

    const venue = await plan('BPHC').executeUpdate(planUpdates.completeTask, {
      args: [{ taskId: 'HC-01', actor: coordinator }],
    });
    for (const n of [1, 2]) {
      await plan('BPHC').executeUpdate(planUpdates.decide, {
        args: [{ approvalId: venue.approvalId!, decision: 'approve', actor: btv(n) }],
      });
    }
    await plan('BPHC').executeUpdate(planUpdates.completeTask, { args: [{ taskId: 'HC-02', actor: coordinator }] });
    const unblocked = await eventually(
      async () => {
        const task = (await plan('BPANTT').query(planQueries.view)).tasks.find((t) => t.id === 'AN-02')!;
        return task.status === 'open' ? task : undefined;
      },
      'AN-02 unblocked by the relay',
      150,
    );
    expect(unblocked.status).toBe('open');
    await recordHistoryIfAsked(
      ctx.h.env,
      handle.workflowId,
      CONGRESS_WORKFLOW_TYPE,
      'plan-added-later.patched-congress-tells-owners',
    );
    await handle.terminate('test over');
  });

  it('gives a plan added after the congress continued as new the watch list its subscribers imply', async () => {
    // A congress as continue-as-new leaves it: security is subscribed to BPHC:HC-02 before BPHC exists.
    const { handle, plan } = await startCongress('dh-watch-resumed', (congress) => ({
      kind: 'resume',
      state: { ...createCongressState(congress), subscribers: { 'BPHC:HC-02': ['BPANTT'] } },
      pendingPlans: [],
    }));
    await handle.executeUpdate(congressUpdates.addPlan, { args: [{ actor: coordinator, plan: logisticsPlan() }] });
    const state = await plan('BPHC').query(planQueries.state);
    expect(state.watchedTasks).toEqual(['HC-02']);
    const view = await handle.query(congressQueries.view);
    expect(view.units).toEqual(['BPHC']);
    await handle.terminate('test over');
  });
});
