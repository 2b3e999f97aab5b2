/**
 * The production topology of docker-compose.yml, on this machine without Docker: a throwaway PostgreSQL on
 * loopback, the schema applied by scripts/cluster/temporal-setup.sh with the pinned SQL tool, the pinned Temporal
 * server (built once, cached) started from its embedded config template with the same variables as the
 * temporalio/server service, then the namespace and tminus's search attributes registered by the same script.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, openSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { findTemporalCli, projectRoot, stopProcess, waitForTemporal } from '../dev-server';
import { ensurePostgres, startPostgres, type RunningPostgres } from './postgres';
import { ensureTemporalBuild, type TemporalBuild } from './temporal-build';

const run = promisify(execFile);
const SETUP_SCRIPT = path.join(projectRoot(), 'scripts', 'cluster', 'temporal-setup.sh');
const DYNAMIC_CONFIG = path.join(projectRoot(), 'scripts', 'cluster', 'dynamicconfig.yaml');

/** Installs what a first run lacks (PostgreSQL, the Temporal build); idempotent and quick once done. */
export async function prepareCluster(log: (line: string) => void): Promise<{ pgBin: string; build: TemporalBuild }> {
  const pgBin = await ensurePostgres(log);
  const build = await ensureTemporalBuild(log);
  return { pgBin, build };
}

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * Free loopback ports below 32768: Temporal's membership (ringpop) ports must not fall in Linux's ephemeral range
 * (32768–60999), where an outgoing connection can take the port between our check and the server's bind.
 */
export async function freeLowPorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (!ports.has(port) && (await canBind(port))) ports.add(port);
  }
  return [...ports];
}

export interface RunningCluster {
  address: string;
  namespace: string;
  postgres: RunningPostgres;
  server: ChildProcess;
  build: TemporalBuild;
  stop(): Promise<void>;
}

async function runSetup(phase: 'schema' | 'namespace', env: Record<string, string>, build: TemporalBuild) {
  const cliDir = path.dirname(findTemporalCli());
  await run('sh', [SETUP_SCRIPT, phase], {
    env: { ...process.env, ...env, SCHEMA_DIR: build.schemaDir, PATH: `${build.binDir}:${cliDir}:${process.env.PATH}` },
    maxBuffer: 16 * 1024 * 1024,
  }).catch((err: { stdout?: string; stderr?: string; message: string }) => {
    throw new Error(`temporal-setup.sh ${phase} failed: ${err.message}\n${err.stdout ?? ''}\n${err.stderr ?? ''}`);
  });
}

export async function startCluster(options: {
  dir: string;
  log: (line: string) => void;
  namespace?: string;
}): Promise<RunningCluster> {
  const { dir, log } = options;
  const namespace = options.namespace ?? 'default';
  mkdirSync(dir, { recursive: true });
  const { pgBin, build } = await prepareCluster(log);

  const [pgPort, grpc, http, frontendM, historyG, historyM, matchingG, matchingM, workerG, workerM] =
    await freeLowPorts(10);
  const user = 'temporal';
  const password = randomBytes(18).toString('base64url');
  log(`starting PostgreSQL on 127.0.0.1:${pgPort} (data in ${dir})`);
  const postgres = await startPostgres({
    bin: pgBin,
    dir: path.join(dir, 'postgres'),
    port: pgPort,
    user,
    password,
    logFile: path.join(dir, 'postgres.log'),
  });
  let server: ChildProcess | undefined;
  const stop = async () => {
    if (server) await stopProcess(server, 15_000);
    await postgres.stop();
  };
  try {
    log('applying the Temporal schema (temporal-setup.sh schema)');
    await runSetup(
      'schema',
      { POSTGRES_SEEDS: '127.0.0.1', DB_PORT: String(pgPort), POSTGRES_USER: user, SQL_PASSWORD: password },
      build,
    );

    log(`starting the Temporal server v${build.version} on 127.0.0.1:${grpc}`);
    const serverLog = openSync(path.join(dir, 'temporal-server.log'), 'a');
    server = spawn(build.server, ['--allow-no-auth', 'start'], {
      cwd: dir,
      // The variables of the temporalio/server service in docker-compose.yml, read by the server's embedded template.
      env: {
        PATH: process.env.PATH ?? '',
        DB: 'postgres12',
        DB_PORT: String(pgPort),
        POSTGRES_SEEDS: '127.0.0.1',
        POSTGRES_USER: user,
        POSTGRES_PWD: password,
        BIND_ON_IP: '127.0.0.1',
        DYNAMIC_CONFIG_FILE_PATH: DYNAMIC_CONFIG,
        LOG_LEVEL: 'warn',
        FRONTEND_GRPC_PORT: String(grpc),
        FRONTEND_HTTP_PORT: String(http),
        FRONTEND_MEMBERSHIP_PORT: String(frontendM),
        HISTORY_GRPC_PORT: String(historyG),
        HISTORY_MEMBERSHIP_PORT: String(historyM),
        MATCHING_GRPC_PORT: String(matchingG),
        MATCHING_MEMBERSHIP_PORT: String(matchingM),
        WORKER_GRPC_PORT: String(workerG),
        WORKER_MEMBERSHIP_PORT: String(workerM),
      },
      stdio: ['ignore', serverLog, serverLog],
    });
    const address = `127.0.0.1:${grpc}`;
    const alive = () => server!.exitCode === null && server!.signalCode === null;
    await waitForTemporal(address, 120_000, alive);

    log(`creating namespace "${namespace}" and tminus's search attributes (temporal-setup.sh namespace)`);
    await runSetup('namespace', { TEMPORAL_ADDRESS: address, TEMPORAL_NAMESPACE: namespace }, build);
    return { address, namespace, postgres, server, build, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
