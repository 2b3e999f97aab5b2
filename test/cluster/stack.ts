/**
 * The cluster stack, started once per `npm run test:cluster`: PostgreSQL + the pinned Temporal server
 * (scripts/cluster/cluster.ts), then TWO workers and TWO API instances from dist/ — what docker-compose.yml runs,
 * scaled out — and the e2e webhook receiver. Test files find it through the same TMINUS_E2E_* variables as the e2e
 * tests (the API URLs in TMINUS_E2E_API_URLS, each request going to the next), plus TMINUS_CLUSTER_*.
 */
import { type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { DEFAULT_TASK_QUEUE } from '../../libs/contracts/task-queue';
import { startCluster, type RunningCluster } from '../../scripts/cluster/cluster';
import { stopProcess, waitForHttp } from '../../scripts/dev-server';
import { E2E_JWT_SECRET, E2E_WEBHOOK_SECRET, freePort, startNodeProcess, startWebhookReceiver } from '../e2e/stack';

const ROOT = path.resolve(__dirname, '..', '..');
const BUNDLE = path.join(ROOT, 'dist', 'workflow-bundle.js');
/** Processes a test file started (a replacement worker), to be stopped at the end: one pid a line. */
export const EXTRA_PIDS_FILE = 'extra-pids';

export interface ClusterStack {
  dir: string;
  cluster: RunningCluster;
  workers: ChildProcess[];
  apis: ChildProcess[];
  webhook: Server;
}

const log = (line: string) => console.log(`[cluster] ${line}`);

/** The environment of a worker process, as docker-compose.yml gives it (search attributes registered by setup). */
export function workerEnv(): Record<string, string> {
  const dir = process.env.TMINUS_E2E_DIR!;
  return {
    TEMPORAL_ADDRESS: process.env.TMINUS_E2E_TEMPORAL_ADDRESS!,
    TEMPORAL_NAMESPACE: 'default',
    LOG_LEVEL: 'info',
    REPORTS_DIR: path.join(dir, 'reports'),
    WEBHOOK_URL: process.env.TMINUS_CLUSTER_WEBHOOK_URL!,
    WEBHOOK_SECRET: E2E_WEBHOOK_SECRET,
    TEMPORAL_REGISTER_SEARCH_ATTRIBUTES: 'false',
    PAYLOAD_ENCRYPTION_KEYS: process.env.TMINUS_CLUSTER_PAYLOAD_KEYS!,
    PAYLOAD_ENCRYPTION_ACTIVE_KEY: 'k1',
    ...(existsSync(BUNDLE) ? { WORKFLOW_BUNDLE_PATH: BUNDLE } : {}),
  };
}

/** Identities (`pid@host`) of the workers polling tminus's workflow task queue now. */
export async function pollingWorkers(address: string): Promise<string[]> {
  const connection = await Connection.connect({ address });
  try {
    const response = await connection.workflowService.describeTaskQueue({
      namespace: 'default',
      taskQueue: { name: DEFAULT_TASK_QUEUE },
      taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
    });
    return (response.pollers ?? []).map((p) => p.identity ?? '');
  } finally {
    await connection.close();
  }
}

export async function waitForWorkerPids(address: string, pids: number[], timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const identities = await pollingWorkers(address);
    if (pids.every((pid) => identities.some((id) => id.startsWith(`${pid}@`)))) return;
    if (Date.now() > deadline) throw new Error(`workers ${pids.join(', ')} did not poll; pollers: ${identities}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

export async function startClusterStack(): Promise<ClusterStack> {
  const started = Date.now();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tminus-cluster-'));
  const cluster = await startCluster({ dir, log });
  const webhookLog = path.join(dir, 'webhook.jsonl');
  const { server: webhook, port: webhookPort } = await startWebhookReceiver(webhookLog);
  Object.assign(process.env, {
    TMINUS_E2E_TEMPORAL_ADDRESS: cluster.address,
    TMINUS_E2E_WEBHOOK_LOG: webhookLog,
    TMINUS_E2E_DIR: dir,
    TMINUS_CLUSTER_WEBHOOK_URL: `http://127.0.0.1:${webhookPort}/hook`,
    TMINUS_CLUSTER_PAYLOAD_KEYS: `k1:${randomBytes(32).toString('base64')}`,
  });
  const workers = [1, 2].map((n) =>
    startNodeProcess('apps/worker/main.js', workerEnv(), path.join(dir, `worker-${n}.log`)),
  );
  const apiPorts = [await freePort(), await freePort()];
  const apis = apiPorts.map((port, i) =>
    startNodeProcess(
      'apps/api/main.js',
      {
        TEMPORAL_ADDRESS: cluster.address,
        TEMPORAL_NAMESPACE: 'default',
        LOG_LEVEL: 'warn',
        PORT: String(port),
        HOST: '127.0.0.1',
        JWT_SECRET: E2E_JWT_SECRET,
        TEMPORAL_UI_URL: 'http://localhost:8080',
        THROTTLE_LIMIT: '100000',
        PAYLOAD_ENCRYPTION_KEYS: process.env.TMINUS_CLUSTER_PAYLOAD_KEYS!,
        PAYLOAD_ENCRYPTION_ACTIVE_KEY: 'k1',
      },
      path.join(dir, `api-${i + 1}.log`),
    ),
  );
  const stack = { dir, cluster, workers, apis, webhook };
  try {
    const urls = apiPorts.map((port) => `http://127.0.0.1:${port}`);
    for (const url of urls) await waitForHttp(`${url}/health`, 120_000);
    await waitForWorkerPids(
      cluster.address,
      workers.map((w) => w.pid!),
    );
    Object.assign(process.env, {
      TMINUS_E2E_API_URL: urls[0],
      TMINUS_E2E_API_URLS: urls.join(','),
      TMINUS_CLUSTER_WORKER_PIDS: workers.map((w) => w.pid).join(','),
    });
  } catch (err) {
    const logs = ['worker-1.log', 'api-1.log'].map((f) => readIfExists(path.join(dir, f)).slice(-3000)).join('\n');
    await stopClusterStack(stack);
    throw new Error(`${err instanceof Error ? err.message : String(err)}\n${logs}`);
  }
  log(`cluster up in ${((Date.now() - started) / 1000).toFixed(1)} s: Temporal ${cluster.address}, 2 workers, 2 APIs`);
  return stack;
}

function readIfExists(file: string): string {
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}

async function stopPid(pid: number): Promise<void> {
  const alive = () => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  if (!alive()) return;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 10_000;
  while (alive() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  if (alive()) process.kill(pid, 'SIGKILL');
}

export async function stopClusterStack(stack: ClusterStack): Promise<void> {
  for (const api of stack.apis) await stopProcess(api);
  for (const worker of stack.workers) await stopProcess(worker);
  const extra = readIfExists(path.join(stack.dir, EXTRA_PIDS_FILE)).split('\n').filter(Boolean).map(Number);
  for (const pid of extra) await stopPid(pid);
  await new Promise((resolve) => stack.webhook.close(resolve));
  await stack.cluster.stop();
  rmSync(path.join(stack.dir, 'postgres'), { recursive: true, force: true }); // the database; the logs stay
  log(`stopped; logs kept in ${stack.dir}`);
}
