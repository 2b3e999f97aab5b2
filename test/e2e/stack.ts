/**
 * The e2e stack, started once per test run: a Temporal CLI dev server, the built worker and API processes
 * (the production entry points, dist/apps/*), and a webhook receiver that logs what it receives to a file.
 * Test files read the addresses from process.env (TMINUS_E2E_*).
 */
import type { ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_TASK_QUEUE } from '../../libs/contracts/task-queue';
import {
  freeLoopbackPort,
  hasWorkflowPollers,
  startDevServer,
  startNodeProcess,
  stopProcess,
  waitForHttp,
  type RunningDevServer,
} from '../../scripts/dev-server';

export { startNodeProcess, waitForHttp };

const BUNDLE = path.resolve(__dirname, '..', '..', 'dist', 'workflow-bundle.js');

export const E2E_JWT_SECRET = 'e2e-jwt-secret-0123456789abcdef';
export const E2E_WEBHOOK_SECRET = 'e2e-webhook-secret-0123456789';
/** Payload encryption for the whole stack, as in production: plans are stored encrypted in the SQLite file. */
export const E2E_PAYLOAD_ENCRYPTION = {
  PAYLOAD_ENCRYPTION_KEYS: `e2e-1:${Buffer.alloc(32, 1).toString('base64')},e2e-2:${Buffer.alloc(32, 2).toString('base64')}`,
  PAYLOAD_ENCRYPTION_ACTIVE_KEY: 'e2e-2',
};

/** A free loopback port (one helper with npm start's). */
export const freePort = freeLoopbackPort;

export interface E2EStack {
  server: RunningDevServer;
  worker: ChildProcess;
  api: ChildProcess;
  webhook: Server;
}

/** A webhook receiver on loopback that appends every call (headers and raw body) to `logFile`, one JSON a line. */
export async function startWebhookReceiver(logFile: string): Promise<{ server: Server; port: number }> {
  writeFileSync(logFile, '');
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      appendFileSync(logFile, `${JSON.stringify({ headers: req.headers, body })}\n`);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as { port: number }).port };
}

export async function startStack(): Promise<E2EStack> {
  const dir = path.join(os.tmpdir(), `tminus-e2e-${process.pid}`);
  const webhookLog = path.join(dir, 'webhook.jsonl');
  const { mkdirSync } = await import('node:fs');
  mkdirSync(dir, { recursive: true });
  const { server: webhook, port: webhookPort } = await startWebhookReceiver(webhookLog);

  // On a file, so that tests can look at what Temporal stores (test/e2e/encryption-at-rest.e2e-spec.ts).
  const server = await startDevServer({
    port: await freePort(),
    dbFile: path.join(dir, 'temporal.sqlite'),
    stdio: 'ignore',
  });
  const common = {
    TEMPORAL_ADDRESS: server.address,
    TEMPORAL_NAMESPACE: 'default',
    LOG_LEVEL: 'warn',
    ...E2E_PAYLOAD_ENCRYPTION,
  };
  const worker = startNodeProcess(
    'apps/worker/main.js',
    {
      ...common,
      // Info, so that the workflow's log lines (with the API's request ids) reach worker.log.
      LOG_LEVEL: 'info',
      REPORTS_DIR: path.join(dir, 'reports'),
      WEBHOOK_URL: `http://127.0.0.1:${webhookPort}/hook`,
      WEBHOOK_SECRET: E2E_WEBHOOK_SECRET,
      TEMPORAL_REGISTER_SEARCH_ATTRIBUTES: 'true',
      // The production path: the bundle `npm run test:e2e` prebuilt, as the Docker image does.
      ...(existsSync(BUNDLE) ? { WORKFLOW_BUNDLE_PATH: BUNDLE } : {}),
    },
    path.join(dir, 'worker.log'),
  );
  const apiPort = await freePort();
  const api = startNodeProcess(
    'apps/api/main.js',
    {
      ...common,
      PORT: String(apiPort),
      HOST: '127.0.0.1',
      JWT_SECRET: E2E_JWT_SECRET,
      TEMPORAL_UI_URL: 'http://localhost:8233',
      BODY_LIMIT: '256kb',
      THROTTLE_LIMIT: '100000',
      // The worker's reports folder, served for download; feed revocations kept beside it.
      REPORTS_DIR: path.join(dir, 'reports'),
      FEED_REVOCATIONS_FILE: path.join(dir, 'feed-revocations.json'),
    },
    path.join(dir, 'api.log'),
  );
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  try {
    await waitForHttp(`${apiUrl}/health`, 60_000);
  } catch (err) {
    await stopStack({ server, worker, api, webhook });
    throw err;
  }
  // The worker is ready once it has bundled its workflows and polls; wait for its log line.
  const { readFileSync } = await import('node:fs');
  const workerLog = () =>
    existsSync(path.join(dir, 'worker.log')) ? readFileSync(path.join(dir, 'worker.log'), 'utf8') : '';
  const deadline = Date.now() + 60_000;
  while (!(await hasWorkflowPollers(server.address, 'default', DEFAULT_TASK_QUEUE))) {
    if (Date.now() > deadline || worker.exitCode !== null) {
      await stopStack({ server, worker, api, webhook });
      throw new Error(`the worker did not start: ${workerLog()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  Object.assign(process.env, {
    TMINUS_E2E_API_URL: apiUrl,
    TMINUS_E2E_TEMPORAL_ADDRESS: server.address,
    TMINUS_E2E_WEBHOOK_LOG: webhookLog,
    TMINUS_E2E_DIR: dir,
    TMINUS_E2E_TEMPORAL_DB: path.join(dir, 'temporal.sqlite'),
    // Every process a test starts on its own (startNodeProcess) reads the stack's plans with the same keys.
    ...E2E_PAYLOAD_ENCRYPTION,
  });
  return { server, worker, api, webhook };
}

export async function stopStack(stack: E2EStack): Promise<void> {
  await stopProcess(stack.api);
  await stopProcess(stack.worker);
  await new Promise((resolve) => stack.webhook.close(resolve));
  await stack.server.stop();
}
