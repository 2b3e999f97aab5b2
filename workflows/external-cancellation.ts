/**
 * A plan cancelled from outside tminus (`temporal workflow cancel`, the Temporal UI's Cancel) must not vanish
 * silently: before the run ends as cancelled, it records who asked and when in its audit log (as a stop of the
 * plan), archives itself and tells the congress, in a scope the cancellation cannot interrupt. Terminate cannot
 * be caught this way (the workflow gets no turn): README, Security.
 */
import * as wf from '@temporalio/workflow';
import type { Activities } from '../activities';
import { SA, congressSignals } from '../libs/contracts';
import { applyCommand, audit, planSummary, vi, type Actor, type PlanState } from '../libs/domain';
import { planHas } from './versions';

const activities = wf.proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 10 },
});

/** Runs `run` (the plan's loop, which hands over its state); on cancellation, records it before rethrowing. */
export async function recordingExternalCancellation<T>(
  run: (seeState: (state: PlanState) => void) => Promise<T>,
): Promise<T> {
  let state: PlanState | undefined;
  try {
    return await run((s) => (state = s));
  } catch (err) {
    if (state && wf.isCancellation(err) && wf.CancellationScope.current().consideredCancelled) {
      if (planHas('externalCancellation')) {
        await wf.CancellationScope.nonCancellable(() => recordCancellation(state!));
      }
    }
    throw err;
  }
}

async function recordCancellation(state: PlanState): Promise<void> {
  const { workflowId, runId } = wf.workflowInfo();
  const request = await activities.describeCancelRequest
    .executeWithOptions(
      { startToCloseTimeout: '1 minute', retry: { maximumAttempts: 5 }, summary: vi.activity.whoCancelled },
      [{ workflowId, runId }],
    )
    .catch(() => ({ identity: 'unknown', reason: undefined, requestedAt: undefined }));
  const actor: Actor = { id: `temporal:${request.identity}`, name: request.identity, roles: ['temporal'] };
  const reason = [
    'cancelled outside tminus (Temporal cancel request)',
    request.requestedAt ? `requested at ${request.requestedAt}` : undefined,
    request.reason ? `reason: ${request.reason}` : undefined,
  ]
    .filter(Boolean)
    .join('; ');
  const now = Date.now();
  if (state.status === 'closed' || state.status === 'stopped') {
    audit(state, { actor, action: 'plan.cancelled', reason }, now);
  } else {
    applyCommand(state, { type: 'stopPlan', actor, reason }, now);
  }
  // The archive now rather than through the outbox: the loop that would flush it has ended.
  state.outbox = state.outbox.filter((effect) => effect.kind !== 'archive');
  await activities.archivePlan.executeWithOptions(
    {
      startToCloseTimeout: '1 minute',
      retry: { initialInterval: '5s', maximumInterval: '1 minute' },
      summary: vi.activity.archivePlan,
    },
    [{ workflowId, state }],
  );
  const summary = planSummary(state, now);
  wf.upsertSearchAttributes([{ key: SA.status, value: summary.status }]);
  const parentId = wf.workflowInfo().parent?.workflowId;
  if (parentId) {
    await wf
      .getExternalWorkflowHandle(parentId)
      .signal(congressSignals.planProgress, summary)
      .catch((err: unknown) =>
        wf.log.warn('cancellation not reported to the congress', { parentId, error: String(err) }),
      );
  }
}
