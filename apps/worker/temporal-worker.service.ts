/**
 * Hosts the Temporal worker inside the Nest application context. The run() promise is kept, never awaited
 * during bootstrap; shutdown happens once, from Nest's shutdown hook (Temporal's own signal handlers are
 * switched off in main.ts), then the connection is closed.
 */
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type BeforeApplicationShutdown,
} from '@nestjs/common';
import { Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import type { WorkerEnv } from '../../libs/config';
import { temporalConnectionConfig } from '../../libs/config';
import { dataConverterFromEnv } from '../../libs/codec';
import { registerSearchAttributes } from './search-attributes.registrar';
import { WORKER_ENV } from './worker.config';

@Injectable()
export class TemporalWorkerService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(TemporalWorkerService.name);
  private connection?: NativeConnection;
  private worker?: Worker;
  private running?: Promise<void>;

  constructor(@Inject(WORKER_ENV) private readonly env: WorkerEnv) {}

  async onApplicationBootstrap(): Promise<void> {
    const connectionConfig = temporalConnectionConfig(this.env);
    if (this.env.TEMPORAL_REGISTER_SEARCH_ATTRIBUTES) {
      const client = await Connection.connect(connectionConfig);
      try {
        const added = await registerSearchAttributes(client, this.env.TEMPORAL_NAMESPACE);
        if (added.length > 0) this.logger.log(`registered search attributes: ${added.join(', ')}`);
      } finally {
        await client.close();
      }
    }
    this.connection = await NativeConnection.connect(connectionConfig);
    // A prebuilt bundle already contains the interceptors (scripts/build-workflow-bundle.ts).
    const workflows = this.env.WORKFLOW_BUNDLE_PATH
      ? { workflowBundle: { codePath: this.env.WORKFLOW_BUNDLE_PATH } }
      : {
          workflowsPath: require.resolve('../../workflows'),
          interceptors: { workflowModules: [require.resolve('../../workflows/interceptors')] },
        };
    this.worker = await Worker.create({
      connection: this.connection,
      namespace: this.env.TEMPORAL_NAMESPACE,
      taskQueue: this.env.TEMPORAL_TASK_QUEUE,
      // Encryption at rest: payload codecs run here, outside the workflow sandbox.
      dataConverter: dataConverterFromEnv(this.env),
      activities: createActivities({
        reportsDir: this.env.REPORTS_DIR,
        webhookUrl: this.env.WEBHOOK_URL,
        webhookSecret: this.env.WEBHOOK_SECRET,
        smtpUrl: this.env.SMTP_URL,
        mailFrom: this.env.MAIL_FROM,
        reportPlace: this.env.REPORT_PLACE,
      }),
      ...workflows,
    });
    this.running = this.worker.run();
    this.running.catch((err: unknown) => {
      this.logger.error(`worker stopped with an error: ${String(err)}`);
      process.exitCode = 1;
    });
    if (!this.env.PAYLOAD_ENCRYPTION_KEYS) {
      this.logger.warn('PAYLOAD_ENCRYPTION_KEYS is not set: plan payloads are stored in Temporal in plaintext');
    }
    this.logger.log(
      `worker polling task queue "${this.env.TEMPORAL_TASK_QUEUE}" on ${this.env.TEMPORAL_ADDRESS} (namespace ${this.env.TEMPORAL_NAMESPACE})`,
    );
  }

  async beforeApplicationShutdown(signal?: string): Promise<void> {
    if (this.worker && this.worker.getState() === 'RUNNING') {
      this.logger.log(`shutting down the worker (${signal ?? 'close'})`);
      this.worker.shutdown();
    }
    await this.running?.catch(() => undefined);
    await this.connection?.close();
  }
}
