/**
 * A throwaway PostgreSQL cluster for the cluster test: Debian's server binaries (installed with apt-get when
 * missing), a data folder in a temp dir, loopback only, a generated password, on a port the caller picks.
 * PostgreSQL refuses to run as root, so under root it runs as the `postgres` system user the package creates.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The newest installed PostgreSQL's bin folder (Debian: /usr/lib/postgresql/<major>/bin). */
export function findPostgresBin(): string | undefined {
  if (process.env.TMINUS_POSTGRES_BIN) return process.env.TMINUS_POSTGRES_BIN;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const majors = readdirSync(root)
    .filter((name) => /^\d+$/.test(name) && existsSync(path.join(root, name, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return majors.length > 0 ? path.join(root, majors[0], 'bin') : undefined;
}

export async function ensurePostgres(log: (line: string) => void): Promise<string> {
  const found = findPostgresBin();
  if (found) return found;
  if (process.getuid?.() !== 0) {
    throw new Error(
      'PostgreSQL is not installed: run `sudo apt-get install -y postgresql` (or set TMINUS_POSTGRES_BIN)',
    );
  }
  log('installing PostgreSQL with apt-get (Debian package "postgresql")');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await run('apt-get', ['update', '-qq'], { env, maxBuffer: 64 * 1024 * 1024 });
  await run('apt-get', ['install', '-y', '-qq', 'postgresql'], { env, maxBuffer: 64 * 1024 * 1024 });
  const installed = findPostgresBin();
  if (!installed) throw new Error('apt-get installed postgresql but no /usr/lib/postgresql/*/bin/initdb was found');
  return installed;
}

export interface RunningPostgres {
  host: string;
  port: number;
  user: string;
  password: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

async function systemUser(name: string): Promise<{ uid: number; gid: number }> {
  const [{ stdout: uid }, { stdout: gid }] = await Promise.all([run('id', ['-u', name]), run('id', ['-g', name])]);
  return { uid: Number(uid.trim()), gid: Number(gid.trim()) };
}

export async function startPostgres(options: {
  bin: string;
  dir: string;
  port: number;
  user: string;
  password: string;
  logFile: string;
}): Promise<RunningPostgres> {
  const { bin, dir, port, user, password } = options;
  const owner = process.getuid?.() === 0 ? await systemUser('postgres') : undefined;
  const dataDir = path.join(dir, 'pgdata');
  mkdirSync(dir, { recursive: true });
  const passwordFile = path.join(dir, 'pgpass');
  writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  if (owner) {
    // The postgres user must reach its folder through ours (a mkdtemp folder is 0700): traverse, not list.
    chmodSync(path.dirname(dir), 0o711);
    chownSync(dir, owner.uid, owner.gid);
    chownSync(passwordFile, owner.uid, owner.gid);
  }
  const as = owner ? { uid: owner.uid, gid: owner.gid } : {};
  await run(
    path.join(bin, 'initdb'),
    [
      '-D',
      dataDir,
      '-U',
      user,
      `--pwfile=${passwordFile}`,
      '--auth=scram-sha-256',
      '-E',
      'UTF8',
      '--no-locale',
      '--no-sync',
    ],
    { ...as, cwd: dir },
  );
  const { openSync } = await import('node:fs');
  const log = openSync(options.logFile, 'a');
  const child = spawn(
    path.join(bin, 'postgres'),
    [
      '-D',
      dataDir,
      '-p',
      String(port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      `unix_socket_directories=${dir}`,
      // A throwaway cluster: durability against power loss is not what this test is about, speed is.
      '-c',
      'fsync=off',
      '-c',
      'synchronous_commit=off',
      '-c',
      'max_connections=200',
    ],
    { ...as, cwd: dir, stdio: ['ignore', log, log] },
  );
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`PostgreSQL exited (${child.exitCode}); see ${options.logFile}`);
    try {
      await run(path.join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port), '-q']);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`PostgreSQL did not accept connections on port ${port} within 60 s`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  return {
    host: '127.0.0.1',
    port,
    user,
    password,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGINT'); // PostgreSQL's "fast" shutdown
      }),
  };
}
