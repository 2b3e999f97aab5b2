/**
 * Real processes to break: a Temporal CLI dev server on a SQLite file, worker and API processes from the
 * build (dist/apps/*), and a loopback webhook receiver whose answers a test can delay or withhold. Each fault
 * test starts its own, on free ports, and kills or stops only what it started.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { DEFAULT_TASK_QUEUE } from '../../libs/contracts/task-queue';
import {
  hasWorkflowPollers,
  killProcess,
  startDevServer,
  stopProcess,
  waitForHttp,
  type RunningDevServer,
} from '../../scripts/dev-server';
import { bearer, startCongress } from '../e2e/client';
import { E2E_JWT_SECRET, E2E_WEBHOOK_SECRET, freePort, startNodeProcess } from '../e2e/stack';

const BUNDLE = path.resolve(__dirname, '..', '..', 'dist', 'workflow-bundle.js');

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** One notice as the receiver saw it: when it arrived (ms), its idempotency key and parsed body. */
export interface Received {
  at: number;
  key: string;
  body: { workflowId: string; event: string; taskId?: string; level?: number; [field: string]: unknown };
}

/**
 * Decides how the receiver answers one notice: after `delayMs` with `status` (204 by default), or never
 * (`stall`: the connection is held until the sender gives up or the receiver closes).
 */
export type Answer = { delayMs?: number; status?: number; stall?: boolean };

export class WebhookReceiver {
  readonly received: Received[] = [];
  private readonly held = new Set<ServerResponse>();
  private readonly server: Server = createServer((req, res) => this.handle(req, res));
  url = '';
  answer: (notice: Received) => Answer = () => ({});

  static async start(): Promise<WebhookReceiver> {
    const receiver = new WebhookReceiver();
    await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
    receiver.url = `http://127.0.0.1:${(receiver.server.address() as { port: number }).port}/hook`;
    return receiver;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const notice: Received = {
        at: Date.now(),
        key: String(req.headers['idempotency-key'] ?? ''),
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Received['body'],
      };
      this.received.push(notice);
      const { delayMs = 0, status = 204, stall = false } = this.answer(notice);
      if (stall) {
        this.held.add(res);
        res.on('close', () => this.held.delete(res));
        return;
      }
      setTimeout(() => res.writeHead(status).end(), delayMs);
    });
  }

  of(workflowId: string): Received[] {
    return this.received.filter((n) => n.body.workflowId === workflowId);
  }

  async stop(): Promise<void> {
    for (const res of this.held) res.destroy();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

/** A dev server on a SQLite file, a receiver, and worker/API processes that can be started and killed. */
export class FaultStack {
  readonly workers: ChildProcess[] = [];
  readonly apis: ChildProcess[] = [];
  private logCount = 0;

  private constructor(
    readonly dir: string,
    readonly port: number,
    readonly dbFile: string,
    public server: RunningDevServer,
    readonly webhook: WebhookReceiver,
  ) {}

  static async start(name: string): Promise<FaultStack> {
    const dir = path.join(os.tmpdir(), `tminus-faults-${name}-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    const port = await freePort();
    const dbFile = path.join(dir, 'temporal.sqlite');
    const server = await startDevServer({ port, dbFile, stdio: 'ignore' });
    const webhook = await WebhookReceiver.start();
    return new FaultStack(dir, port, dbFile, server, webhook);
  }

  get address(): string {
    return this.server.address;
  }

  private log(what: string): string {
    return path.join(this.dir, `${what}-${++this.logCount}.log`);
  }

  /** Starts a worker process and resolves once it polls the task queue. */
  async startWorker(): Promise<ChildProcess> {
    const logFile = this.log('worker');
    const worker = startNodeProcess(
      'apps/worker/main.js',
      {
        TEMPORAL_ADDRESS: this.address,
        TEMPORAL_NAMESPACE: 'default',
        LOG_LEVEL: 'warn',
        REPORTS_DIR: path.join(this.dir, 'reports'),
        WEBHOOK_URL: this.webhook.url,
        WEBHOOK_SECRET: E2E_WEBHOOK_SECRET,
        TEMPORAL_REGISTER_SEARCH_ATTRIBUTES: 'false',
        ...(existsSync(BUNDLE) ? { WORKFLOW_BUNDLE_PATH: BUNDLE } : {}),
      },
      logFile,
    );
    this.workers.push(worker);
    const deadline = Date.now() + 90_000;
    while (!(await hasWorkflowPollers(this.address, 'default', DEFAULT_TASK_QUEUE).catch(() => false))) {
      if (Date.now() > deadline || worker.exitCode !== null) {
        throw new Error(`the worker did not start: ${existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''}`);
      }
      await sleep(200);
    }
    return worker;
  }

  /** Starts an API process (on `port`, or a free one) and resolves with its base URL once /health answers. */
  async startApi(port?: number): Promise<{ process: ChildProcess; url: string }> {
    const apiPort = port ?? (await freePort());
    const child = startNodeProcess(
      'apps/api/main.js',
      {
        TEMPORAL_ADDRESS: this.address,
        TEMPORAL_NAMESPACE: 'default',
        LOG_LEVEL: 'warn',
        PORT: String(apiPort),
        HOST: '127.0.0.1',
        JWT_SECRET: E2E_JWT_SECRET,
        TEMPORAL_UI_URL: 'http://localhost:8233',
        THROTTLE_LIMIT: '100000',
      },
      this.log('api'),
    );
    this.apis.push(child);
    const url = `http://127.0.0.1:${apiPort}`;
    await waitForHttp(`${url}/health`, 60_000, false);
    return { process: child, url };
  }

  /** Kills the dev server (SIGKILL) and returns a function that starts it again on the same file and port. */
  async killServer(): Promise<() => Promise<void>> {
    await this.server.kill('SIGKILL');
    return async () => {
      this.server = await startDevServer({ port: this.port, dbFile: this.dbFile, stdio: 'ignore' });
    };
  }

  async stop(): Promise<void> {
    for (const child of [...this.apis, ...this.workers]) await stopProcess(child, 5_000);
    await this.webhook.stop();
    await this.server.stop();
  }
}

export { bearer, killProcess, startCongress };

export const http = (url: string) => request(url);
