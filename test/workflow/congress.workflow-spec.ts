/**
 * The congress workflow with the provincial template's three units: moving congress day, a congress-wide
 * contingency, a cross-unit dependency relayed between plans, and the summary report once every plan closed.
 */
import { readdir } from 'node:fs/promises';
import type { temporal } from '@temporalio/proto';
import {
  CONGRESS_WORKFLOW_TYPE,
  UNIT_PLAN_WORKFLOW_TYPE,
  congressQueries,
  congressUpdates,
  congressWorkflowId,
  planQueries,
  planUpdates,
  planWorkflowId,
  type CongressInput,
  type CongressState,
} from '../../libs/contracts';
import {
  DAY_MS,
  addCalendarDays,
  localDateOf,
  logisticsPlan,
  propagandaPlan,
  provincialCongress,
  securityPlan,
  type Actor,
} from '../../libs/domain';
import { btv, coordinator, eventually, recordHistoryIfAsked, withRunningWorker } from './harness';
import { congressStartSearchAttributes } from '../../libs/contracts';

/** A letter only Vietnamese uses among the UI's languages: the text is not English. */
const VIETNAMESE = /[ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹđ]/i;

const admin: Actor = { id: 'tvchung', name: 'Trần Văn Chung', roles: ['admin'] };

describe('congress workflow', () => {
  const ctx = withRunningWorker('congress');

  it('starts its plans, propagates congress day and contingencies, relays dependencies, and reports at the end', async () => {
    const h = ctx.h;
    const now = await h.env.currentTimeMs();
    const congress = provincialCongress('dh-congress', addCalendarDays(localDateOf(now, 'Asia/Ho_Chi_Minh'), 60));
    const input: CongressInput = {
      kind: 'start',
      congress,
      plans: [propagandaPlan(), logisticsPlan(), securityPlan()],
    };
    const handle = await h.env.client.workflow.start(CONGRESS_WORKFLOW_TYPE, {
      workflowId: congressWorkflowId(congress.id),
      taskQueue: h.taskQueue,
      args: [input],
      typedSearchAttributes: congressStartSearchAttributes(congress.id),
    });
    const plan = (unit: string) => h.env.client.workflow.getHandle(planWorkflowId(congress.id, unit));
    const view = await eventually(async () => {
      const v = await handle.query(congressQueries.view);
      return Object.keys(v.progress).length === 3 ? v : undefined;
    }, 'three plans reporting');
    expect(view.units).toEqual(['BPTT', 'BPHC', 'BPANTT']);
    // Ops staff read every message's description in the Temporal UI: each one is there, in Vietnamese.
    for (const workflow of [handle, plan('BPTT')]) {
      const metadata = await workflow.query<temporal.api.sdk.v1.IWorkflowMetadata>('__temporal_workflow_metadata');
      const definition = metadata.definition!;
      const handlers = [
        ...(definition.queryDefinitions ?? []),
        ...(definition.signalDefinitions ?? []),
        ...(definition.updateDefinitions ?? []),
      ].filter((d) => !d.name?.startsWith('__'));
      expect(handlers.length).toBeGreaterThan(3);
      for (const d of handlers) expect([d.name, d.description]).toEqual([d.name, expect.stringMatching(VIETNAMESE)]);
    }
    // Its plans were started at once: every start was commanded by the same workflow task.
    const starts = ((await handle.fetchHistory()).events ?? []).filter(
      (e) => e.startChildWorkflowExecutionInitiatedEventAttributes,
    );
    expect(starts).toHaveLength(3);
    const startedBy = starts.map((e) =>
      String(e.startChildWorkflowExecutionInitiatedEventAttributes!.workflowTaskCompletedEventId),
    );
    expect(new Set(startedBy).size).toBe(1);

    // Move congress day a week later: every plan's congress-relative deadlines follow.
    const deadlineOf = async (unit: string, task: string) =>
      Date.parse((await plan(unit).query(planQueries.view)).tasks.find((t) => t.id === task)!.deadline!);
    const before = { tt03: await deadlineOf('BPTT', 'TT-03'), an01: await deadlineOf('BPANTT', 'AN-01') };
    const moved = await handle.executeUpdate(congressUpdates.moveCongressDay, {
      args: [
        {
          actor: coordinator,
          reason: 'Ban Thường vụ quyết định lùi Đại hội một tuần',
          startDate: addCalendarDays(congress.startDate, 7),
          endDate: addCalendarDays(congress.endDate, 7),
        },
      ],
    });
    expect(moved.plans).toBe(3);
    await eventually(async () => ((await deadlineOf('BPANTT', 'AN-01')) !== before.an01 ? true : undefined), 'move');
    expect(((await deadlineOf('BPANTT', 'AN-01')) - before.an01) / DAY_MS).toBe(7);
    // TT-03 counts working days (T-10wd): a week later is still five working days, seven calendar days.
    expect(((await deadlineOf('BPTT', 'TT-03')) - before.tt03) / DAY_MS).toBe(7);

    // Cross-unit: security's AN-02 waits on logistics' HC-02, which waits on the venue decision HC-01.
    const blocked = (await plan('BPANTT').query(planQueries.view)).tasks.find((t) => t.id === 'AN-02')!;
    expect(blocked.status).toBe('blocked');
    const venue = await plan('BPHC').executeUpdate(planUpdates.completeTask, {
      args: [{ taskId: 'HC-01', actor: coordinator, note: 'Cung Văn hóa lao động hữu nghị' }],
    });
    for (const n of [1, 2]) {
      await plan('BPHC').executeUpdate(planUpdates.decide, {
        args: [{ approvalId: venue.approvalId!, decision: 'approve', actor: btv(n) }],
      });
    }
    await plan('BPHC').executeUpdate(planUpdates.completeTask, { args: [{ taskId: 'HC-02', actor: coordinator }] });
    const unblocked = await eventually(async () => {
      const task = (await plan('BPANTT').query(planQueries.view)).tasks.find((t) => t.id === 'AN-02')!;
      return task.status === 'open' ? task : undefined;
    }, 'AN-02 unblocked by the relay');
    expect(unblocked.status).toBe('open');

    // A congress-wide epidemic: plans that declare the scenario switch to it; the others record why not.
    const activated = await handle.executeUpdate(congressUpdates.activateContingency, {
      args: [{ actor: admin, reason: 'Dịch COVID-19 lây lan trên diện rộng', scenario: 'epidemic' }],
    });
    expect(activated.plans).toEqual(['BPTT', 'BPHC', 'BPANTT']);
    await eventually(async () => {
      const tasks = (await plan('BPTT').query(planQueries.view)).tasks;
      return tasks.find((t) => t.id === 'TT-05')?.status === 'suspended' ? true : undefined;
    }, 'TT-05 suspended');
    expect((await plan('BPHC').query(planQueries.view)).tasks.find((t) => t.id === 'HC-03')?.status).toBe('suspended');
    const securityAudit = await plan('BPANTT').query(planQueries.audit, { limit: 500 });
    expect(securityAudit.entries.some((e) => e.action === 'contingency.not-in-plan' && e.target === 'epidemic')).toBe(
      true,
    );
    await handle.executeUpdate(congressUpdates.deactivateContingency, {
      args: [{ actor: admin, reason: 'Dịch bệnh đã được kiểm soát', scenario: 'epidemic' }],
    });

    // Months later every plan has closed (at the end of its closing window), and the summary report is written.
    const result: CongressState = await handle.result();
    expect(result.summaryReportWritten).toBe(true);
    expect(Object.keys(result.finished).sort()).toEqual(['BPANTT', 'BPHC', 'BPTT']);
    expect(result.completions['BPHC:HC-02']).toBeDefined();
    const files = await readdir(`${h.reportsDir}/congress__dh-congress`);
    expect(files).toEqual(expect.arrayContaining(['summary-conference-report.json', 'summary-conference-report.md']));
    await recordHistoryIfAsked(h.env, handle.workflowId, CONGRESS_WORKFLOW_TYPE, 'three-units');
    // A plan under its congress: the progress it reports, and the relays it receives.
    await recordHistoryIfAsked(h.env, plan('BPHC').workflowId, UNIT_PLAN_WORKFLOW_TYPE, 'under-congress');
  });
});

describe('what a plan tells its congress', () => {
  const ctx = withRunningWorker('congress-progress');

  it('reports when its status or overdue tasks change, not at each completion; the congress upserts only changes', async () => {
    const h = ctx.h;
    const now = await h.env.currentTimeMs();
    const congress = provincialCongress('dh-progress', addCalendarDays(localDateOf(now, 'Asia/Ho_Chi_Minh'), 60));
    const handle = await h.env.client.workflow.start(CONGRESS_WORKFLOW_TYPE, {
      workflowId: congressWorkflowId(congress.id),
      taskQueue: h.taskQueue,
      args: [{ kind: 'start', congress, plans: [propagandaPlan()] } satisfies CongressInput],
      typedSearchAttributes: congressStartSearchAttributes(congress.id),
    });
    const plan = h.env.client.workflow.getHandle(planWorkflowId(congress.id, 'BPTT'));
    await eventually(async () => {
      const v = await handle.query(congressQueries.view);
      return v.progress.BPTT ? v : undefined;
    }, 'the plan reporting');
    const events = async (of: { fetchHistory(): Promise<temporal.api.history.v1.IHistory> }) =>
      (await of.fetchHistory()).events ?? [];
    const progressSignals = async () =>
      (await events(plan)).filter(
        (e) => e.signalExternalWorkflowExecutionInitiatedEventAttributes?.signalName === 'planProgress',
      ).length;
    const reportsAtStart = await progressSignals();
    expect(reportsAtStart).toBe(1);
    // A new run records one patch marker (plan-fewer-events-v1 stands for every older patch; each costs two events).
    const patchMarkers = (await events(plan)).filter(
      (e) => e.markerRecordedEventAttributes?.markerName === 'core_patch',
    );
    expect(patchMarkers).toHaveLength(1);

    // Three tasks completed on time: the plan's own search attributes change, the congress is not signalled.
    for (const taskId of ['TT-03', 'TT-04', 'TT-06']) {
      await plan.executeUpdate(planUpdates.completeTask, { args: [{ taskId, actor: coordinator }] });
    }
    expect((await plan.query(planQueries.view)).summary.done).toBe(3);
    expect(await progressSignals()).toBe(reportsAtStart);

    // Its status changes (stopped by its coordinator): the congress hears of it, with the done count.
    await plan.executeUpdate(planUpdates.stopPlan, { args: [{ actor: coordinator, reason: 'Sáp nhập bộ phận' }] });
    const finished = await eventually(async () => {
      const v = await handle.query(congressQueries.view);
      return v.finished.BPTT ? v : undefined;
    }, 'the congress hearing the plan stopped');
    expect(finished.progress.BPTT).toMatchObject({ status: 'stopped', done: 3 });
    expect(await progressSignals()).toBe(reportsAtStart + 1);

    // The congress's search attributes (beside the SDK's TemporalChangeVersion for its patches): its first values,
    // the plan's overdue task (TT-01, due 90 days before), its closing; nothing for reports that left them as they
    // were, nor for the summary report.
    await handle.result();
    const upserts = (await events(handle))
      .map((e) => e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields)
      .filter((fields) => fields && !fields.TemporalChangeVersion)
      .map((fields) => Object.keys(fields!).sort());
    expect(upserts).toHaveLength(3);
    expect(upserts[0]).toEqual(['TminusContingency', 'TminusOverdueCount', 'TminusStatus']);
  });
});
