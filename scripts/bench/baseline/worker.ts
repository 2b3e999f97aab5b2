/**
 * The raw-SDK worker of the bench (`node dist/scripts/bench/baseline/worker.js`): its own task queue, default
 * data converter, default options; no Nest, no codec, no engine. Stops on SIGTERM.
 */
import { NativeConnection, Worker } from '@temporalio/worker';
import { BASELINE_TASK_QUEUE, createBaselineActivities } from './activities';

async function main(): Promise<void> {
  const address = process.env.TEMPORAL_ADDRESS;
  const webhookUrl = process.env.WEBHOOK_URL;
  if (!address || !webhookUrl) throw new Error('TEMPORAL_ADDRESS and WEBHOOK_URL are required');
  const connection = await NativeConnection.connect({ address });
  const worker = await Worker.create({
    connection,
    namespace: 'default',
    taskQueue: BASELINE_TASK_QUEUE,
    workflowsPath: require.resolve('./workflows'),
    activities: createBaselineActivities(webhookUrl, process.env.WEBHOOK_SECRET ?? ''),
  });
  await worker.run();
  await connection.close();
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
