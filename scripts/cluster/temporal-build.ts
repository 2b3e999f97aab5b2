/**
 * The pinned Temporal server and its SQL schema tool, built from source with `go install` through the Go module
 * proxy and cached outside the repository (a fresh clone on the same machine reuses them), together with the
 * PostgreSQL schema the module ships. The first build takes about ten minutes; later runs start in seconds.
 */
import { execFile, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

/**
 * The newest 1.32 patch the machine's Go toolchain builds (1.32.2 needs Go 1.26.10), the server line of the
 * Temporal CLI 1.9.1 dev server the other tests use. docker-compose.yml pins the same version.
 */
export const TEMPORAL_SERVER_VERSION = '1.32.1';

export interface TemporalBuild {
  version: string;
  /** The `temporal-server` binary (cmd/server). */
  server: string;
  /** Holds `temporal-sql-tool` (cmd/tools/sql), as the temporalio/admin-tools image names it. */
  binDir: string;
  /** schema/postgresql/v12 from the module: temporal/ and visibility/, each with versioned/. */
  schemaDir: string;
}

export function cacheRoot(): string {
  return process.env.TMINUS_CACHE_DIR ?? path.join(os.homedir(), '.cache', 'tminus');
}

function buildDir(version: string): string {
  return path.join(cacheRoot(), `temporal-server-${version}`);
}

function describe(dir: string, version: string): TemporalBuild {
  return {
    version,
    server: path.join(dir, 'bin', 'server'),
    binDir: path.join(dir, 'bin'),
    schemaDir: path.join(dir, 'schema', 'postgresql', 'v12'),
  };
}

export function cachedTemporalBuild(version = TEMPORAL_SERVER_VERSION): TemporalBuild | undefined {
  const build = describe(buildDir(version), version);
  const complete = [build.server, path.join(build.binDir, 'temporal-sql-tool'), build.schemaDir].every(existsSync);
  return complete ? build : undefined;
}

const run = promisify(execFile);

/** Builds into a scratch folder and renames it into place, so an interrupted build never looks complete. */
export async function ensureTemporalBuild(
  log: (line: string) => void,
  version = TEMPORAL_SERVER_VERSION,
): Promise<TemporalBuild> {
  const cached = cachedTemporalBuild(version);
  if (cached) return cached;
  const go = process.env.GO ?? 'go';
  try {
    await run(go, ['version']);
  } catch {
    throw new Error('Go is needed once to build the Temporal server (https://go.dev/dl/); set GO to its path.');
  }
  const target = buildDir(version);
  const scratch = `${target}.building-${process.pid}`;
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(path.join(scratch, 'bin'), { recursive: true });
  const modules = [`go.temporal.io/server/cmd/server@v${version}`, `go.temporal.io/server/cmd/tools/sql@v${version}`];
  log(
    `building the Temporal server v${version} with go install (about 10 minutes the first time; cached in ${target})`,
  );
  const started = Date.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(go, ['install', ...modules], {
      env: { ...process.env, GOBIN: path.join(scratch, 'bin'), GOFLAGS: process.env.GOFLAGS ?? '-buildvcs=false' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let output = '';
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const ticker = setInterval(
      () => log(`  … still building the Temporal server (${Math.round((Date.now() - started) / 1000)} s)`),
      30_000,
    );
    // Stopped from outside (Ctrl-C, CI giving up): stop the build too and leave no half-built folder.
    const abandon = (signal: NodeJS.Signals) => {
      child.kill('SIGTERM');
      rmSync(scratch, { recursive: true, force: true });
      process.exit(signal === 'SIGINT' ? 130 : 143);
    };
    process.once('SIGINT', abandon).once('SIGTERM', abandon);
    child.on('error', reject);
    child.on('exit', (code) => {
      process.off('SIGINT', abandon).off('SIGTERM', abandon);
      clearInterval(ticker);
      if (code === 0) resolve();
      else reject(new Error(`go install failed (exit ${code}):\n${output.slice(-4000)}`));
    });
  });
  const { stdout } = await run(go, ['env', 'GOMODCACHE']);
  const moduleDir = path.join(stdout.trim(), 'go.temporal.io', `server@v${version}`);
  cpSync(path.join(moduleDir, 'schema', 'postgresql', 'v12'), path.join(scratch, 'schema', 'postgresql', 'v12'), {
    recursive: true,
  });
  // The module cache is read-only; the copy must be removable with the cache.
  await run('chmod', ['-R', 'u+w', path.join(scratch, 'schema')]);
  symlinkSync('sql', path.join(scratch, 'bin', 'temporal-sql-tool'));
  rmSync(target, { recursive: true, force: true });
  renameSync(scratch, target);
  log(`built the Temporal server v${version} in ${Math.round((Date.now() - started) / 1000)} s`);
  return describe(target, version);
}
