/** The raw-SDK arms' one activity: the notices of a wake-up POSTed in parallel, signed, like a plan's. */
import { signBody, IDEMPOTENCY_HEADER, SIGNATURE_HEADER } from '../../../activities/notifications.activities';

export const BASELINE_TASK_QUEUE = 'tminus-bench-baseline';

export interface BaselineNotice {
  idempotencyKey: string;
  congressId: string;
  unitCode: string;
  taskId: string;
  event: string;
  level: number;
}

export function createBaselineActivities(webhookUrl: string, webhookSecret: string) {
  return {
    async postNotices(notices: BaselineNotice[]): Promise<void> {
      await Promise.all(
        notices.map(async (notice) => {
          const body = JSON.stringify(notice);
          const response = await fetch(webhookUrl, {
            method: 'POST',
            headers: {
              'content-type': 'application/json; charset=utf-8',
              [IDEMPOTENCY_HEADER]: notice.idempotencyKey,
              [SIGNATURE_HEADER]: signBody(body, webhookSecret),
            },
            body,
            signal: AbortSignal.timeout(10_000),
          });
          if (!response.ok) throw new Error(`webhook answered ${response.status} for ${notice.idempotencyKey}`);
        }),
      );
    },
  };
}

export type BaselineActivities = ReturnType<typeof createBaselineActivities>;
