/**
 * `npm start`: the whole service on one machine — Temporal dev server (SQLite in data/, Web UI), the worker
 * and the API — printing the URLs when ready. Ctrl-C stops every child cleanly; the next start reuses data/.
 * `npm start -- --demo` then creates a demo congress through the API (scripts/demo).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_TASK_QUEUE } from '../libs/contracts/task-queue';
import { ensureLocalKeyFile } from '../libs/codec/local-key-file';
import {
  freeLoopbackPort,
  hasWorkflowPollers,
  portInUse,
  projectRoot,
  startDevServer,
  stopProcess,
  waitForHttp,
  type RunningDevServer,
} from './dev-server';
import { demoSummary, seedDemo } from './demo/seed-demo';
import { localJwtSecret } from './mint-token';
import { startReadOnlyUiProxy, type ReadOnlyUiProxy } from './ui-read-only-proxy';

const ROOT = projectRoot();
const DATA_DIR = path.resolve(ROOT, process.env.TMINUS_DATA_DIR ?? 'data');
const TEMPORAL_PORT = Number(process.env.TMINUS_TEMPORAL_PORT ?? 7233);
const UI_PORT = Number(process.env.TMINUS_UI_PORT ?? 8233);
const API_PORT = Number(process.env.PORT ?? 3000);

const USAGE = `usage: npm start [-- --demo]

  --demo   once everything is up, create a demo congress whose tasks fall due within minutes (reminders,
           escalations and an approval to see in the Temporal UI), and print its tokens and commands
  --help   print this help`;

/** The command line, strictly: an unknown option stops before anything starts (exit code 2). */
function parseOptions(argv: string[]): { demo: boolean } {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: { demo: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (err) {
    console.error(`[tminus] ${err instanceof Error ? err.message : String(err)}\n\n${USAGE}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  return { demo: values.demo ?? false };
}

function startNode(name: string, script: string, env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, [path.join(ROOT, 'dist', script)], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: 'inherit',
  });
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`[tminus] ${name} exited (${signal ?? code}); stopping everything`);
      void shutdown(1);
    }
  });
  return child;
}

let stopping = false;
let server: RunningDevServer | undefined;
let ui: ReadOnlyUiProxy | undefined;
const children: ChildProcess[] = [];

async function shutdown(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log('[tminus] stopping…');
  for (const child of [...children].reverse()) await stopProcess(child);
  await ui?.close();
  await server?.stop();
  console.log('[tminus] stopped');
  process.exit(code);
}

function localEncryptionKeys(): { PAYLOAD_ENCRYPTION_KEYS: string; PAYLOAD_ENCRYPTION_ACTIVE_KEY: string } {
  const keys = ensureLocalKeyFile(DATA_DIR);
  const where = path.relative(ROOT, keys.file);
  console.log(`[tminus] payloads encrypted with the keys in ${where}${keys.created ? ' (new, mode 0600)' : ''}`);
  return keys.env;
}

/**
 * Creates the demo congress and prints where to look. A refusal is printed with the API's message and the stack
 * keeps running: the user can still use it.
 */
async function seedAndPrint(jwtSecret: string, uiUrl: string): Promise<void> {
  console.log('[tminus] creating the demo congress…');
  try {
    const seeded = await seedDemo({
      apiUrl: `http://127.0.0.1:${API_PORT}`,
      secret: jwtSecret,
      // `npm run token`'s default lifetime, within what the API accepts.
      hours: Math.min(12, Number(process.env.JWT_MAX_LIFETIME_HOURS || 24)),
    });
    console.log(
      demoSummary(seeded, { api: `http://localhost:${API_PORT}`, ui: uiUrl, namespace: 'default' }).join('\n'),
    );
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    console.error(`[tminus] the demo congress was not created (${message}); everything else keeps running`);
  }
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  // Everything the local processes write (the SQLite file, reports, archives) is for this user only.
  process.umask(0o077);
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  const started = Date.now();
  // A taken port is said now: the dev server would fail while this script saw the other server answer.
  const ports = [
    { port: TEMPORAL_PORT, what: 'Temporal', setting: 'TMINUS_TEMPORAL_PORT' },
    { port: UI_PORT, what: 'Temporal UI', setting: 'TMINUS_UI_PORT' },
    { port: API_PORT, what: 'API', setting: 'PORT' },
  ];
  for (const { port, what, setting } of ports) {
    if (await portInUse(port)) {
      console.error(
        `[tminus] port ${port} (${what}) is already in use: is another tminus or Temporal server running? ` +
          `Stop it, or choose another port with ${setting}.`,
      );
      process.exit(1);
    }
  }
  // Plans are encrypted before they reach Temporal: with the keys of the environment, or this data folder's own.
  const encryption = process.env.PAYLOAD_ENCRYPTION_KEYS
    ? {
        PAYLOAD_ENCRYPTION_KEYS: process.env.PAYLOAD_ENCRYPTION_KEYS,
        PAYLOAD_ENCRYPTION_ACTIVE_KEY: process.env.PAYLOAD_ENCRYPTION_ACTIVE_KEY ?? '',
      }
    : localEncryptionKeys();
  console.log(`[tminus] starting the Temporal dev server (data in ${path.relative(ROOT, DATA_DIR) || '.'}/)`);
  // The dev server's own UI allows terminate, cancel, signal, reset: it runs on an internal loopback port, and
  // ops use it read-only through the proxy on UI_PORT (scripts/ui-read-only-proxy.ts).
  const internalUiPort = await freeLoopbackPort();
  server = await startDevServer({
    port: TEMPORAL_PORT,
    uiPort: internalUiPort,
    // The UI shows plans decrypted through the API; the endpoint answers this machine only (loopback).
    uiCodecEndpoint: `http://127.0.0.1:${API_PORT}/codec`,
    dbFile: path.join(DATA_DIR, 'temporal.sqlite'),
    stdio: 'inherit',
  });
  ui = await startReadOnlyUiProxy({
    host: '127.0.0.1',
    port: UI_PORT,
    target: { host: '127.0.0.1', port: internalUiPort },
  });
  server.onExit(() => {
    if (!stopping) {
      console.error('[tminus] the Temporal dev server exited; stopping everything');
      void shutdown(1);
    }
  });
  const common = {
    TEMPORAL_ADDRESS: server.address,
    TEMPORAL_NAMESPACE: 'default',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
    ...encryption,
  };
  children.push(
    startNode('worker', 'apps/worker/main.js', {
      ...common,
      REPORTS_DIR: process.env.REPORTS_DIR ?? path.join(DATA_DIR, 'reports'),
      // The dev server already has them from its --search-attribute flags.
      TEMPORAL_REGISTER_SEARCH_ATTRIBUTES: 'false',
    }),
  );
  // The API verifies tokens with it, and the demo mints its tokens with it.
  const jwtSecret = process.env.JWT_SECRET || localJwtSecret(DATA_DIR, { create: true });
  children.push(
    startNode('api', 'apps/api/main.js', {
      ...common,
      PORT: String(API_PORT),
      // Loopback unless told otherwise, and a random secret of this data folder (that `npm run token` reads).
      HOST: process.env.HOST ?? '127.0.0.1',
      JWT_SECRET: jwtSecret,
      TEMPORAL_UI_URL: process.env.TEMPORAL_UI_URL ?? `http://localhost:${UI_PORT}`,
      // The dev server's UI cannot pass a token to the codec endpoint: callers on this machine only.
      PAYLOAD_CODEC_AUTH: process.env.PAYLOAD_CODEC_AUTH ?? 'loopback',
    }),
  );
  await waitForHttp(`http://127.0.0.1:${API_PORT}/health`, 60_000);
  const workerDeadline = Date.now() + 60_000;
  while (!(await hasWorkflowPollers(server.address, 'default', DEFAULT_TASK_QUEUE))) {
    if (Date.now() > workerDeadline) throw new Error('the worker did not start polling within 60 s');
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(
    [
      '',
      `[tminus] ready in ${seconds}s`,
      `  API          http://localhost:${API_PORT}   (OpenAPI docs: http://localhost:${API_PORT}/docs)`,
      `  Temporal UI  ${ui.url}   (read-only; plans shown decrypted, on this machine only)`,
      `  Temporal     ${server.address} (namespace default)`,
      `  A token for local use: npm run token -- --sub me --name "Tên tôi" --roles coordinator,approver`,
      '  Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );
  if (options.demo) await seedAndPrint(jwtSecret, ui.url);
}

main().catch(async (err: unknown) => {
  console.error(`[tminus] ${err instanceof Error ? err.message : String(err)}`);
  await shutdown(1);
});
