/**
 * The README's start command (`npm start` runs dist/scripts/dev.js after building): dev server with the UI,
 * worker and API come up and say where they are; Ctrl-C stops every process; a second start finds the
 * plans started before it.
 */
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { addCalendarDays, localDateOf } from '../../libs/domain';
import { statSync } from 'node:fs';
import { localJwtSecret, mintToken, SECRET_FILE } from '../../scripts/mint-token';
import { freePort } from './stack';
import { createServer } from 'node:net';
import { isAlive, runUntilExit, startCommand as start } from './npm-start';

describe('the start command', () => {
  it('brings everything up, stops cleanly on Ctrl-C, and keeps its data for the next start', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'tminus-start-'));
    const [temporalPort, uiPort, apiPort] = [await freePort(), await freePort(), await freePort()];
    const env = {
      TMINUS_DATA_DIR: dataDir,
      TMINUS_TEMPORAL_PORT: String(temporalPort),
      TMINUS_UI_PORT: String(uiPort),
      PORT: String(apiPort),
      // No secret given: npm start makes one for this data folder.
      JWT_SECRET: '',
    };
    const first = await start(env);
    expect(first.output()).toContain(`http://localhost:${apiPort}`);
    expect(first.output()).toContain(`http://localhost:${uiPort}`);
    expect((await fetch(`http://localhost:${uiPort}/`)).status).toBe(200);
    expect((await fetch(`http://localhost:${apiPort}/health`)).status).toBe(200);

    // This API signs with the random secret of its data folder, readable by the owner only.
    expect(statSync(path.join(dataDir, SECRET_FILE)).mode & 0o777).toBe(0o600);
    const secret = localJwtSecret(dataDir, { create: false });
    const auth = {
      authorization: `Bearer ${mintToken(secret, { sub: 'vptu-tt1', name: 'Văn phòng', roles: ['coordinator'] })}`,
      'content-type': 'application/json',
    };
    const startDate = addCalendarDays(localDateOf(Date.now(), 'Asia/Ho_Chi_Minh'), 90);
    const created = await fetch(`http://localhost:${apiPort}/congresses/from-template`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ template: 'provincial', id: 'dh-start', startDate }),
    });
    expect(created.status).toBe(201);

    first.child.kill('SIGINT');
    expect(await first.exited).toBe(0);
    expect(first.output()).toContain('[tminus] stopped');
    const ports = [temporalPort, uiPort, apiPort];
    for (const port of ports) {
      await expect(fetch(`http://localhost:${port}/`)).rejects.toThrow();
    }
    expect(isAlive(first.child.pid!)).toBe(false);

    const second = await start(env);
    try {
      let plan: Response | undefined;
      for (let i = 0; i < 50; i++) {
        plan = await fetch(`http://localhost:${apiPort}/plans/dh-start/BPTT`, { headers: auth });
        if (plan.status === 200) break;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(plan!.status).toBe(200);
      expect(((await plan!.json()) as { unit: { code: string } }).unit.code).toBe('BPTT');
    } finally {
      second.child.kill('SIGINT');
      expect(await second.exited).toBe(0);
    }
  });

  it('stops with a clear message when a port it needs is taken, instead of attaching to whatever holds it', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'tminus-start-taken-'));
    // Something else holds the Temporal port (another tminus, another Temporal server).
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const taken = (squatter.address() as { port: number }).port;
    try {
      const run = await runUntilExit(
        {
          TMINUS_DATA_DIR: dataDir,
          TMINUS_TEMPORAL_PORT: String(taken),
          TMINUS_UI_PORT: String(await freePort()),
          PORT: String(await freePort()),
        },
        30_000,
      );
      expect(run.code).toBe(1);
      expect(run.output).toContain(`port ${taken}`);
      expect(run.output).toMatch(/already in use/);
      expect(run.output).not.toContain('[tminus] ready in');
    } finally {
      squatter.close();
    }
  });
});
