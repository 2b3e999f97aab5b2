/**
 * The raw-SDK arms of the bench: the least a Temporal workflow does for the same job as a plan, so that tminus's
 * figures can be read as ratios to what this machine, this server and this receiver allow at all.
 * Relative imports only: the worker bundles this file with webpack.
 */
import { condition, proxyActivities, sleep, upsertSearchAttributes } from '@temporalio/workflow';
import { SA } from '../../../libs/contracts/search-attributes';
import type { BaselineActivities, BaselineNotice } from './activities';

// The same retry policy as a plan's notices.
const { postNotices } = proxyActivities<BaselineActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '5s', backoffCoefficient: 2, maximumInterval: '10 minutes', maximumAttempts: 40 },
});

export interface BaselineDeadlineInput {
  deadline: number;
  congressId: string;
  unitCode: string;
  notices: number;
}

/** Sleeps until the deadline, then delivers its notices in one activity: a plan's first ladder step, bare. */
export async function baselineDeadline(input: BaselineDeadlineInput): Promise<void> {
  await sleep(Math.max(1, input.deadline - Date.now()));
  const notices: BaselineNotice[] = Array.from({ length: input.notices }, (_, i) => ({
    idempotencyKey: `baseline/${input.congressId}/${input.unitCode}/L-${i + 1}/overdue`,
    congressId: input.congressId,
    unitCode: input.unitCode,
    taskId: `L-${i + 1}`,
    event: 'overdue',
    level: 1,
  }));
  await postNotices(notices);
}

/** Takes a plan-sized input, marks itself started (the attribute a plan's first task sets), and waits. */
export async function baselineStart(input: { payload: unknown }): Promise<void> {
  void input;
  upsertSearchAttributes([{ key: SA.status, value: 'draft' }]);
  await condition(() => false);
}
