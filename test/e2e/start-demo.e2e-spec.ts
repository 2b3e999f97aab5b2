/**
 * `npm start -- --demo` (dist/scripts/dev.js --demo): everything starts as with `npm start`, then a demo congress
 * is created through the API; what it prints works as printed, and its first escalation happens for real within
 * a minute or two. A refused seeding leaves the stack running; an unknown option stops before anything starts.
 */
import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './stack';
import { runUntilExit, startCommand as start, type Started } from './npm-start';

const run = promisify(execFile);

async function freshEnv(name: string): Promise<Record<string, string>> {
  return {
    TMINUS_DATA_DIR: await mkdtemp(path.join(os.tmpdir(), `tminus-${name}-`)),
    TMINUS_TEMPORAL_PORT: String(await freePort()),
    TMINUS_UI_PORT: String(await freePort()),
    PORT: String(await freePort()),
    JWT_SECRET: '',
  };
}

async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/** A printed command, run as the user would paste it. */
async function shell(command: string): Promise<unknown> {
  const { stdout } = await run('bash', ['-c', command], { timeout: 30_000 });
  return JSON.parse(stdout);
}

/** The line after the one that starts with `label` (the printed commands stand under their titles). */
function commandAfter(output: string, label: string): string {
  const lines = output.split('\n');
  const at = lines.findIndex((line) => line.trim().startsWith(label));
  expect(at).toBeGreaterThanOrEqual(0);
  return lines[at + 1].trim();
}

async function stop(started: Started): Promise<number | null> {
  started.child.kill('SIGINT');
  return started.exited;
}

interface TaskView {
  id: string;
  status: string;
  overdue: boolean;
  escalationLevel: number;
}

describe('npm start -- --demo', () => {
  it('creates a demo congress whose tasks remind and escalate within a minute or two, as printed', async () => {
    const env = await freshEnv('demo');
    const api = `http://localhost:${env.PORT}`;
    const started = await start(env, ['--demo']);
    try {
      const output = await waitFor('the demo line', 60_000, async () =>
        /\[tminus\] demo congress (demo-\S+) created/.test(started.output()) ? started.output() : undefined,
      );
      const id = /\[tminus\] demo congress (demo-\S+) created/.exec(output)![1];
      const token = /Coordinator token \([^)]+\)\s+(\S+)/.exec(output)![1];
      const auth = { authorization: `Bearer ${token}` };
      // The Temporal UI link to its plans, on npm start's UI port, filtered on the congress.
      const uiList = `http://localhost:${env.TMINUS_UI_PORT}/namespaces/default/workflows?query=`;
      expect(output).toContain(`${uiList}${encodeURIComponent(`TminusCongress="${id}" AND TminusKind="plan"`)}`);
      expect(output).toContain(`/namespaces/default/workflows/${encodeURIComponent(`plan/${id}/BPTT`)}`);

      const congress = await fetch(`${api}/congresses/${id}`, { headers: auth });
      expect(congress.status).toBe(200);
      expect(((await congress.json()) as { units: string[] }).units.sort()).toEqual(['BPHC', 'BPTT']);

      // The printed "see the plan" command, run as printed.
      const view = (await shell(commandAfter(output, 'See the BPTT plan'))) as {
        congress: { id: string; name: string; startDate: string };
        status: string;
        tasks: TaskView[];
      };
      expect(view.congress.id).toBe(id);
      expect(view.status).toBe('active');
      expect(view.tasks.map((t) => t.id)).toEqual(['TT-01', 'TT-02', 'TT-03']);
      const logistics = await fetch(`${api}/plans/${id}/BPHC`, { headers: auth });
      const hc01 = ((await logistics.json()) as { tasks: TaskView[] }).tasks.find((t) => t.id === 'HC-01')!;
      expect(hc01.status).toBe('awaiting_approval');

      // For real: TT-01 falls due 40 s after seeding and the ladder's first step fires at its deadline.
      const escalated = await waitFor('an escalation of the demo plan', 150_000, async () => {
        const answer = await fetch(`${api}/plans/${id}/BPTT/escalations`, { headers: auth });
        const tasks = (await answer.json()) as Array<TaskView & { firedLevels: number[] }>;
        return tasks.length > 0 ? tasks : undefined;
      });
      expect(escalated[0]).toMatchObject({ id: 'TT-01', overdue: true, firedLevels: expect.arrayContaining([1]) });
      const audit = await fetch(`${api}/plans/${id}/BPTT/audit`, { headers: auth });
      const entries = ((await audit.json()) as { entries: Array<{ action: string; target?: string }> }).entries;
      expect(entries).toContainEqual(expect.objectContaining({ action: 'task.escalated', target: 'TT-01' }));

      // The printed "complete" and "approve" commands, run as printed.
      expect(await shell(commandAfter(output, 'Complete TT-02'))).toMatchObject({ ok: true, status: 'done' });
      expect(await shell(commandAfter(output, 'Approve HC-01'))).toMatchObject({ ok: true });
      const after = (await shell(commandAfter(output, 'See the BPTT plan'))) as { tasks: TaskView[] };
      expect(after.tasks.find((t) => t.id === 'TT-03')!.status).toBe('open');
      const approved = await fetch(`${api}/plans/${id}/BPHC`, { headers: auth });
      const hc01Now = ((await approved.json()) as { tasks: TaskView[] }).tasks.find((t) => t.id === 'HC-01')!;
      expect(hc01Now.status).toBe('done');
    } finally {
      expect(await stop(started)).toBe(0);
    }
  });

  it("prints the API's message when the demo is refused, and keeps everything running", async () => {
    // An API that wants an issuer in every token: the demo's tokens (like `npm run token`'s) have none.
    const env: Record<string, string> = { ...(await freshEnv('demo-refused')), JWT_ISSUER: 'https://sso.example.vn' };
    const started = await start(env, ['--demo']);
    try {
      const output = await waitFor('the refusal', 60_000, async () =>
        started.output().includes('the demo congress was not created') ? started.output() : undefined,
      );
      expect(output).toMatch(/the demo congress was not created \(creating the demo congress: the API answered 401 /);
      expect(output).toContain('everything else keeps running');
      expect((await fetch(`http://localhost:${env.PORT}/health`)).status).toBe(200);
      expect(started.child.exitCode).toBeNull();
    } finally {
      expect(await stop(started)).toBe(0);
    }
  });

  it('stops with a clear message and exit code 2 on an unknown option (0 for --help), before starting anything', async () => {
    const result = await runUntilExit(await freshEnv('demo-option'), 30_000, ['--demoo']);
    expect(result.code).toBe(2);
    expect(result.output).toContain("Unknown option '--demoo'");
    expect(result.output).toContain('usage: npm start [-- --demo]');
    expect(result.output).not.toContain('starting the Temporal dev server');

    const help = await runUntilExit(await freshEnv('demo-help'), 30_000, ['--help']);
    expect(help.code).toBe(0);
    expect(help.output).toContain('--demo   once everything is up, create a demo congress');
    expect(help.output).not.toContain('starting the Temporal dev server');
  });
});
