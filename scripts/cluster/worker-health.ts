/**
 * Health check of a worker container (docker-compose.yml): healthy when a worker on this host polls tminus's
 * workflow task queue, as the Temporal server saw it in the last 90 s. The SDK names a worker `<pid>@<hostname>`,
 * and a container's hostname is its own, so the check sees this container's worker and no other.
 *
 *   node dist/scripts/cluster/worker-health.js     (exit 0: polling; 1: not)
 */
import os from 'node:os';
import { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { loadWorkerEnv } from '../../apps/worker/worker.config';
import { temporalConnectionConfig } from '../../libs/config/temporal-connection';

const RECENT_MS = 90_000;

async function main(): Promise<boolean> {
  const env = loadWorkerEnv();
  const connection = await Connection.connect({ ...temporalConnectionConfig(env), connectTimeout: 5000 });
  try {
    const { pollers } = await connection.workflowService.describeTaskQueue({
      namespace: env.TEMPORAL_NAMESPACE,
      taskQueue: { name: env.TEMPORAL_TASK_QUEUE },
      taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
    });
    const suffix = `@${os.hostname()}`;
    return (pollers ?? []).some(
      (poller) =>
        poller.identity?.endsWith(suffix) &&
        Date.now() - Number(poller.lastAccessTime?.seconds ?? 0) * 1000 < RECENT_MS,
    );
  } finally {
    await connection.close();
  }
}

main().then(
  (healthy) => {
    if (!healthy) console.error(`no worker of ${os.hostname()} polls the task queue`);
    process.exit(healthy ? 0 : 1);
  },
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  },
);
