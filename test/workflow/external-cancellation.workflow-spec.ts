/**
 * A plan cancelled from outside tminus (what `temporal workflow cancel` and the Temporal UI's Cancel send):
 * before it ends as cancelled, it records who asked and when in its audit log, stops, and archives itself.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Client, WorkflowFailedError } from '@temporalio/client';
import { CancelledFailure } from '@temporalio/common';
import { folderFor } from '../../activities/reports.activities';
import { planQueries, planWorkflowId, UNIT_PLAN_WORKFLOW_TYPE } from '../../libs/contracts';
import { addCalendarDays, localDateOf, propagandaPlan, provincialCongress, type PlanState } from '../../libs/domain';
import { recordHistoryIfAsked, startUnitPlan, TEST_DATA_CONVERTER, withRunningWorker } from './harness';

describe('a plan cancelled from outside the API', () => {
  const ctx = withRunningWorker('external-cancel');

  it('records who cancelled it and when in its audit log and archive, then ends as cancelled', async () => {
    const h = ctx.h;
    const now = await h.env.currentTimeMs();
    const congress = provincialCongress('dh-cancelled', addCalendarDays(localDateOf(now, 'Asia/Ho_Chi_Minh'), 100));
    const plan = propagandaPlan();
    const workflowId = planWorkflowId(congress.id, plan.unitCode);
    const handle = await startUnitPlan(h, { kind: 'start', congress, plan });
    await handle.query(planQueries.view); // running, handlers in place

    // An operator's own client, as the Temporal CLI is: only its identity says who it is.
    const ops = new Client({
      connection: h.env.connection,
      identity: 'nguyen-van-ops@ops-laptop',
      dataConverter: TEST_DATA_CONVERTER,
    });
    await ops.workflow.getHandle(workflowId).cancel();

    const failure = await handle.result().then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    expect((failure as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);

    const archive = JSON.parse(
      await readFile(path.join(h.reportsDir, folderFor(workflowId), 'archive.json'), 'utf8'),
    ) as {
      state: PlanState;
    };
    expect(archive.state.status).toBe('stopped');
    const stopped = archive.state.audit.find((e) => e.action === 'plan.stopped');
    expect(stopped).toMatchObject({ actor: 'temporal:nguyen-van-ops@ops-laptop' });
    expect(stopped!.reason).toMatch(
      /^cancelled outside tminus \(Temporal cancel request\); requested at \d{4}-\d\d-\d\dT/,
    );
    // When: the audit entry's time, and the request's own time from Temporal, agree (workflow time, not wall clock).
    expect(stopped!.at).toBeGreaterThanOrEqual(now);
    const requestedAt = Date.parse(/requested at (\S+)/.exec(stopped!.reason!)![1]);
    expect(Math.abs(stopped!.at - requestedAt)).toBeLessThan(60_000);

    // The closed run still answers queries with the same record.
    const audit = await handle.query(planQueries.audit, { limit: 500 });
    expect(audit.entries.at(-1)).toMatchObject({ action: 'plan.stopped', actor: 'temporal:nguyen-van-ops@ops-laptop' });
    await recordHistoryIfAsked(h.env, workflowId, UNIT_PLAN_WORKFLOW_TYPE, 'cancelled-from-outside');
  });
});
