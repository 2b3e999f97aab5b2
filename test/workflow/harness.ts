/**
 * What every workflow test needs: a time-skipping server, a real worker with the real activities (reports to
 * a temporary folder, notifications to a webhook receiver on loopback that checks each HMAC signature).
 */
import { createServer, type Server } from 'node:http';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Connection, type WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Runtime, DefaultLogger, Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { signBody, SIGNATURE_HEADER, type NotificationInput } from '../../activities/notifications.activities';
import {
  DEFAULT_TASK_QUEUE,
  planWorkflowId,
  planStartSearchAttributes,
  UNIT_PLAN_WORKFLOW_TYPE,
  type UnitPlanInput,
} from '../../libs/contracts';
import type { Actor } from '../../libs/domain';
import { registerSearchAttributes } from '../../apps/worker/search-attributes.registrar';
import { dataConverterFromEnv } from '../../libs/codec';

export const WEBHOOK_SECRET = 'test-webhook-secret-0123456789';
/** Workflow tests run with payload encryption on, as production does (a fixed, public test key). */
export const TEST_DATA_CONVERTER = dataConverterFromEnv({
  PAYLOAD_ENCRYPTION_KEYS: `test-1:${Buffer.alloc(32, 7).toString('base64')}`,
  PAYLOAD_ENCRYPTION_ACTIVE_KEY: 'test-1',
});
let runtimeInstalled = false;

export interface ReceivedNotification extends Omit<NotificationInput, 'createdAt'> {
  createdAt: string;
  signatureValid: boolean;
}

export class WebhookReceiver {
  readonly received: ReceivedNotification[] = [];
  /** Every request, answered or not (a refused one is not in `received`). */
  readonly attempts: ReceivedNotification[] = [];
  /**
   * How to answer each request: a status (204 by default), after an optional stall in real milliseconds.
   * Tests set it to stand for a receiver that is slow or down.
   */
  behaviour: (notice: ReceivedNotification) => { status: number; stallMs?: number } = () => ({ status: 204 });
  private server?: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const signatureValid = req.headers[SIGNATURE_HEADER] === signBody(body, WEBHOOK_SECRET);
        const notice = { ...(JSON.parse(body) as ReceivedNotification), signatureValid };
        this.attempts.push(notice);
        const { status, stallMs } = this.behaviour(notice);
        setTimeout(() => {
          if (status < 300) this.received.push(notice);
          res.writeHead(status).end();
        }, stallMs ?? 0);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    this.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hook`;
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve));
  }

  byTask(taskId: string): ReceivedNotification[] {
    return this.received.filter((n) => n.taskId === taskId);
  }
}

export interface Harness {
  env: TestWorkflowEnvironment;
  webhook: WebhookReceiver;
  reportsDir: string;
  taskQueue: string;
  newWorker(options?: { cache?: boolean }): Promise<Worker>;
  teardown(): Promise<void>;
}

/**
 * The time-skipping server (grpc-java) allows a client keepalive ping once every 5 minutes; the client pings every
 * 30 s, so after a minute or so the server answers "too many pings" (GOAWAY) and drops the connection, with a
 * time-skipping sleep in flight. A test longer than that then hung with the server's clock locked (seen twice in CI:
 * "rejected by server because of excess pings"). The SDK's createTimeSkipping takes no connection options, so the
 * client connection it opens is given a keepalive the server accepts.
 */
async function withoutFrequentPings<T>(create: () => Promise<T>): Promise<T> {
  const connect = Connection.connect;
  Connection.connect = (options) =>
    connect.call(Connection, {
      ...options,
      channelArgs: { ...options?.channelArgs, 'grpc.keepalive_time_ms': 10 * 60_000 },
    });
  try {
    return await create();
  } finally {
    Connection.connect = connect;
  }
}

export async function createHarness(name: string): Promise<Harness> {
  if (!runtimeInstalled) {
    Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: [] });
    runtimeInstalled = true;
  }
  const serverPath = process.env.TEMPORAL_TEST_SERVER_PATH;
  const env = await withoutFrequentPings(() =>
    TestWorkflowEnvironment.createTimeSkipping({
      server: { executable: serverPath ? { type: 'existing-path', path: serverPath } : { type: 'cached-download' } },
      client: { dataConverter: TEST_DATA_CONVERTER },
    }),
  );
  // The time-skipping server implements AddSearchAttributes but not ListSearchAttributes.
  await registerSearchAttributes(env.connection, env.namespace ?? 'default', { listFirst: false });
  const webhook = new WebhookReceiver();
  await webhook.start();
  const reportsDir = await mkdtemp(path.join(os.tmpdir(), `tminus-${name}-`));
  const taskQueue = `${DEFAULT_TASK_QUEUE}-${name}`;
  const bundlePath = process.env.TMINUS_TEST_WORKFLOW_BUNDLE;
  const newWorker = (options: { cache?: boolean } = {}) =>
    Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      dataConverter: TEST_DATA_CONVERTER,
      ...(bundlePath
        ? { workflowBundle: { codePath: bundlePath } }
        : { workflowsPath: require.resolve('../../workflows') }),
      activities: createActivities({ reportsDir, webhookUrl: webhook.url, webhookSecret: WEBHOOK_SECRET }),
      // The time-skipping server never times out a dead worker's sticky queue: a worker that is going to be
      // replaced runs without a workflow cache (so without a sticky queue).
      ...(options.cache === false ? { maxCachedWorkflows: 0 } : {}),
    });
  return {
    env,
    webhook,
    reportsDir,
    taskQueue,
    newWorker,
    async teardown() {
      await webhook.stop();
      await env.teardown();
    },
  };
}

/** Starts a unit plan on the harness's task queue with the workflow ID and search attributes the congress gives it. */
export function startUnitPlan(
  h: Harness,
  input: Extract<UnitPlanInput, { kind: 'start' }>,
): Promise<WorkflowHandleWithFirstExecutionRunId> {
  const { congress, plan } = input;
  return h.env.client.workflow.start(UNIT_PLAN_WORKFLOW_TYPE, {
    workflowId: planWorkflowId(congress.id, plan.unitCode),
    taskQueue: h.taskQueue,
    args: [input],
    typedSearchAttributes: planStartSearchAttributes(congress.id, plan.unitCode),
  });
}

/** The people the workflow tests act as. */
export const coordinator: Actor = { id: 'vptu-tt1', name: 'Lê Minh Thường trực', roles: ['coordinator'] };
export const btv = (n: number): Actor => ({ id: `btv-${n}`, name: `Ủy viên Ban Thường vụ ${n}`, roles: ['approver'] });

/** Polls `probe` every 100 real ms until it gives a value, `attempts` times at most (workers run in real time). */
export async function eventually<T>(probe: () => Promise<T | undefined>, what: string, attempts = 100): Promise<T> {
  for (let i = 0; i < attempts; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * Writes a run's history (the latest run unless `runId` names one) under test/histories/<workflow>/<case>.json
 * when TMINUS_RECORD_HISTORIES=1.
 */
export async function recordHistoryIfAsked(
  env: TestWorkflowEnvironment,
  workflowId: string,
  workflowType: string,
  caseName: string,
  runId?: string,
): Promise<void> {
  if (process.env.TMINUS_RECORD_HISTORIES !== '1') return;
  const { historyToJSON } = await import('@temporalio/common/lib/proto-utils');
  const { temporal } = await import('@temporalio/proto');
  const { writeFile, mkdir } = await import('node:fs/promises');
  // A proto message (with its $type) for the JSON serializer, as the CLI writes histories.
  const history = temporal.api.history.v1.History.create(
    await env.client.workflow.getHandle(workflowId, runId).fetchHistory(),
  );
  const dir = path.join(__dirname, '..', 'histories', workflowType);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, `${caseName}.json`), historyToJSON(history));
}

export interface RunningHarness {
  /** The harness; available inside tests (set by beforeAll). */
  readonly h: Harness;
  /** Stops the running worker and waits for it to finish its tasks. */
  stopWorker(): Promise<void>;
  /** Starts a new worker (after stopWorker). */
  startWorker(options?: { cache?: boolean }): Promise<void>;
}

/**
 * Registers beforeAll/afterAll for a describe block: a harness with one running worker, shut down at the end.
 * `cache: false` for a worker that a test is going to replace (see Harness.newWorker).
 */
export function withRunningWorker(name: string, options: { cache?: boolean } = {}): RunningHarness {
  let harness: Harness | undefined;
  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  const context: RunningHarness = {
    get h() {
      if (!harness) throw new Error('the harness is only available inside tests');
      return harness;
    },
    async stopWorker() {
      if (worker?.getState() === 'RUNNING') worker.shutdown();
      await running;
    },
    async startWorker(startOptions = {}) {
      worker = await context.h.newWorker(startOptions);
      running = worker.run();
    },
  };
  beforeAll(async () => {
    harness = await createHarness(name);
    await context.startWorker(options);
  });
  afterAll(async () => {
    await context.stopWorker();
    await harness?.teardown();
  });
  return context;
}
