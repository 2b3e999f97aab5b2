/**
 * What the bench runs against, on its own free ports and in its own temporary folder: a Temporal CLI dev
 * server (SQLite file, so its size per plan can be read), the built worker and API (the production entry
 * points in dist/apps), and the loopback webhook receiver. Only processes started here are stopped here.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DEFAULT_TASK_QUEUE } from '../../libs/contracts/task-queue';
import {
  freeLoopbackPort,
  hasWorkflowPollers,
  projectRoot,
  startDevServer,
  startNodeProcess,
  stopProcess,
  waitForHttp,
  type RunningDevServer,
} from '../dev-server';
import { mintToken } from '../mint-token';
import { ApiClient } from './http-client';
import { BASELINE_TASK_QUEUE } from './baseline/activities';
import { WebhookReceiver } from './receiver';

const JWT_SECRET = 'bench-jwt-secret-0123456789abcdef';
const WEBHOOK_SECRET = 'bench-webhook-secret-0123456789';

export interface BenchStack {
  dir: string;
  dbFile: string;
  temporalAddress: string;
  apiUrl: string;
  api: ApiClient;
  client: Client;
  receiver: WebhookReceiver;
  workerPid: number;
  apiPid: number;
  /** The raw-SDK worker's task queue (scripts/bench/baseline): the arms the ratios are taken against. */
  baselineTaskQueue: string;
  stop(): Promise<void>;
}

/** Resident memory of a process in bytes (Linux), or undefined where /proc is not there. */
export function residentBytes(pid: number): number | undefined {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** The SQLite database with its write-ahead log and shared-memory file. */
export function databaseBytes(dbFile: string): number {
  return ['', '-wal', '-shm'].reduce((sum, suffix) => {
    const file = dbFile + suffix;
    return sum + (existsSync(file) ? statSync(file).size : 0);
  }, 0);
}

export async function startBenchStack(log: (line: string) => void): Promise<BenchStack> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tminus-bench-'));
  const dbFile = path.join(dir, 'temporal.sqlite');
  const receiver = new WebhookReceiver();
  await receiver.start();
  log(`temporary folder ${dir}; webhook receiver ${receiver.url}`);

  const server: RunningDevServer = await startDevServer({ port: await freeLoopbackPort(), dbFile, stdio: 'ignore' });
  log(`Temporal dev server on ${server.address}`);
  const level = process.env.BENCH_LOG_LEVEL ?? 'info';
  const common = { TEMPORAL_ADDRESS: server.address, TEMPORAL_NAMESPACE: 'default', LOG_LEVEL: level };
  const bundle = path.join(projectRoot(), 'dist', 'workflow-bundle.js');
  // BENCH_CPU_PROFILE_DIR=folder: the worker and the API write V8 CPU profiles (one per thread) into its worker/ and api/ when they stop.
  const profileDir = process.env.BENCH_CPU_PROFILE_DIR;
  const profile = (name: string) =>
    profileDir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(profileDir, name)}`] : [];
  const worker = startNodeProcess(
    'apps/worker/main.js',
    {
      ...common,
      REPORTS_DIR: path.join(dir, 'reports'),
      WEBHOOK_URL: receiver.url,
      WEBHOOK_SECRET,
      TEMPORAL_REGISTER_SEARCH_ATTRIBUTES: 'false',
      ...(existsSync(bundle) ? { WORKFLOW_BUNDLE_PATH: bundle } : {}),
    },
    path.join(dir, 'worker.log'),
    profile('worker'),
  );
  const baselineWorker = startNodeProcess(
    'scripts/bench/baseline/worker.js',
    { TEMPORAL_ADDRESS: server.address, WEBHOOK_URL: receiver.url, WEBHOOK_SECRET },
    path.join(dir, 'baseline-worker.log'),
  );
  const apiPort = await freeLoopbackPort();
  const api = startNodeProcess(
    'apps/api/main.js',
    {
      ...common,
      PORT: String(apiPort),
      HOST: '127.0.0.1',
      JWT_SECRET,
      TEMPORAL_UI_URL: 'http://localhost:8233',
      // The bench is one client sending thousands of requests a minute; the per-client limit is not measured.
      THROTTLE_LIMIT: '10000000',
    },
    path.join(dir, 'api.log'),
    profile('api'),
  );
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection, namespace: 'default' });
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const token = mintToken(JWT_SECRET, {
    sub: 'bench',
    name: 'Người đo hiệu năng',
    roles: ['coordinator', 'approver', 'admin'],
  });
  const apiClient = new ApiClient(apiUrl, token);

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    apiClient.close();
    await stopProcess(api);
    await stopProcess(worker);
    await stopProcess(baselineWorker);
    await connection.close().catch(() => undefined);
    await receiver.close();
    await server.stop();
    // Keep the process logs; the database and reports of a bench run are of no further use.
    for (const suffix of ['', '-wal', '-shm']) rmSync(dbFile + suffix, { force: true });
    rmSync(path.join(dir, 'reports'), { recursive: true, force: true });
  };
  try {
    await waitForHttp(`${apiUrl}/health`, 90_000);
    const deadline = Date.now() + 90_000;
    for (const [queue, process, log] of [
      [DEFAULT_TASK_QUEUE, worker, 'worker.log'],
      [BASELINE_TASK_QUEUE, baselineWorker, 'baseline-worker.log'],
    ] as const) {
      while (!(await hasWorkflowPollers(server.address, 'default', queue))) {
        if (Date.now() > deadline || process.exitCode !== null) {
          throw new Error(`the worker of ${queue} did not start polling; see ${path.join(dir, log)}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
    }
  } catch (err) {
    await stop();
    throw err;
  }
  log(`worker (pid ${worker.pid}) polling, API (pid ${api.pid}) on ${apiUrl}; logs in ${dir}`);
  return {
    dir,
    dbFile,
    temporalAddress: server.address,
    apiUrl,
    api: apiClient,
    client,
    receiver,
    workerPid: worker.pid!,
    apiPid: api.pid!,
    baselineTaskQueue: BASELINE_TASK_QUEUE,
    stop,
  };
}
