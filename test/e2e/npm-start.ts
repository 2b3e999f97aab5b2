/** `npm start` as a child process, for the tests of the start command and of its ops surface. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

export interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** Runs `npm start`'s script (dist/scripts/dev.js) with `env` and `args`, collecting what it prints. */
function spawnStart(env: Record<string, string>, args: string[] = []): Started {
  const child = spawn(process.execPath, [path.join(ROOT, 'dist', 'scripts', 'dev.js'), ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/** Runs `npm start`'s script with `env` (and `args`, e.g. `--demo`), until it says it is ready. */
export async function startCommand(env: Record<string, string>, args: string[] = []): Promise<Started> {
  const started = spawnStart(env, args);
  const deadline = Date.now() + 90_000;
  while (!started.output().includes('ready in')) {
    if (Date.now() > deadline || started.child.exitCode !== null)
      throw new Error(`npm start did not get ready:\n${started.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return started;
}

/** Runs `npm start`'s script with `env` until it exits on its own (or is stopped after `timeoutMs`). */
export async function runUntilExit(
  env: Record<string, string>,
  timeoutMs: number,
  args: string[] = [],
): Promise<{ code: number | null; output: string }> {
  const started = spawnStart(env, args);
  const timer = setTimeout(() => started.child.kill('SIGINT'), timeoutMs);
  const code = await started.exited;
  clearTimeout(timer);
  return { code, output: started.output() };
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
