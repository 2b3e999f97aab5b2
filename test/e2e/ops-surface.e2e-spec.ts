/**
 * The ops surface of `npm start`: plans encrypted with the data folder's own key file, the Temporal UI
 * read-only (a terminate through its HTTP API is refused) and showing plans decrypted through the API's codec
 * endpoint, which answers this machine only. After a congress from the template runs, the dev server's SQLite
 * file holds none of the template's titles or names in plaintext.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { LOCAL_KEY_FILE, payloadsFromJson, payloadsToJson } from '../../libs/codec';
import { planWorkflowId } from '../../libs/contracts';
import {
  addCalendarDays,
  localDateOf,
  logisticsPlan,
  propagandaPlan,
  provincialCongress,
  securityPlan,
} from '../../libs/domain';
import { folderFor } from '../../activities/reports.activities';
import { findTemporalCli } from '../../scripts/dev-server';
import { mintToken } from '../../scripts/mint-token';
import { eventually } from './client';
import { startCommand, type Started } from './npm-start';
import { freePort } from './stack';
import { storedBytes, storedInputPayloads } from './temporal-storage';

const CONGRESS = 'dh-ops';
const PLAN = planWorkflowId(CONGRESS, 'BPTT');

/** What must never be readable on disk: every title and name the template puts into the plans. */
function templateSecrets(): string[] {
  const congress = provincialCongress();
  const plans = [propagandaPlan(), logisticsPlan(), securityPlan()];
  const people = [
    congress.people.head,
    ...congress.people.deputyHeads,
    ...congress.people.standingSection,
    ...congress.people.standingCommittee,
  ];
  return [
    congress.name,
    ...people.map((p) => p.name),
    ...people.flatMap((p) => (p.email ? [p.email] : [])),
    ...plans.flatMap((plan) => [
      plan.unitName,
      ...plan.tasks.map((t) => t.title),
      ...plan.agencies.map((a) => a.name),
      ...(plan.people ?? []).flatMap((p) => [p.name, ...(p.email ? [p.email] : [])]),
    ]),
  ];
}

function nonLoopbackAddress(): string | undefined {
  return Object.values(os.networkInterfaces())
    .flat()
    .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
}

describe('the ops surface of npm start', () => {
  let started: Started;
  let dataDir: string;
  let ports: { temporal: number; ui: number; api: number };
  let auth: Record<string, string>;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'tminus-ops-'));
    ports = { temporal: await freePort(), ui: await freePort(), api: await freePort() };
    const jwtSecret = 'ops-surface-secret-0123456789';
    started = await startCommand({
      TMINUS_DATA_DIR: dataDir,
      TMINUS_TEMPORAL_PORT: String(ports.temporal),
      TMINUS_UI_PORT: String(ports.ui),
      PORT: String(ports.api),
      JWT_SECRET: jwtSecret,
      // No keys in the environment: npm start makes its own.
      PAYLOAD_ENCRYPTION_KEYS: '',
      PAYLOAD_ENCRYPTION_ACTIVE_KEY: '',
    });
    auth = {
      authorization: `Bearer ${mintToken(jwtSecret, { sub: 'vptu-tt1', name: 'Văn phòng', roles: ['coordinator'] })}`,
      'content-type': 'application/json',
    };
    const startDate = addCalendarDays(localDateOf(Date.now(), 'Asia/Ho_Chi_Minh'), 90);
    const created = await fetch(`http://localhost:${ports.api}/congresses/from-template`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ template: 'provincial', id: CONGRESS, startDate }),
    });
    expect(created.status).toBe(201);
    for (let i = 0; i < 100; i++) {
      const plan = await fetch(`http://localhost:${ports.api}/plans/${CONGRESS}/BPTT`, { headers: auth });
      if (plan.status === 200) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  });

  afterAll(async () => {
    started.child.kill('SIGINT');
    expect(await started.exited).toBe(0);
  });

  const storedPayloads = () => storedInputPayloads(`127.0.0.1:${ports.temporal}`, PLAN);

  it('creates a key file readable by its owner only, and encrypts with it', async () => {
    const keyFile = path.join(dataDir, LOCAL_KEY_FILE);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(started.output()).toContain(`payloads encrypted with the keys in`);
    expect(readFileSync(keyFile, 'utf8')).toMatch(/^PAYLOAD_ENCRYPTION_KEYS=local-\d{8}:/m);
    const [input] = await storedPayloads();
    expect(Buffer.from(input.metadata!.encoding!).toString()).toBe('binary/encrypted');
  });

  it('stores none of the template titles, names or emails in plaintext in the SQLite file', async () => {
    const db = path.join(dataDir, 'temporal.sqlite');
    // The right file, with this congress's plans in it (their workflow IDs are not secret).
    const stored = await eventually(async () => {
      const bytes = storedBytes(db);
      return bytes.includes(Buffer.from(PLAN)) ? bytes : undefined;
    }, 15_000);
    const secrets = templateSecrets();
    expect(secrets.length).toBeGreaterThan(50);
    expect(secrets.filter((s) => stored.includes(Buffer.from(s, 'utf8')))).toEqual([]);
    // And the file itself is for this user only (npm start runs everything with umask 077).
    expect(statSync(db).mode & 0o077).toBe(0);
  });

  it('publishes a read-only UI that decrypts through the API on loopback', async () => {
    const settings = (await (await fetch(`http://localhost:${ports.ui}/api/v1/settings`)).json()) as {
      Codec: { Endpoint: string };
      DisableWriteActions: boolean;
      WorkflowTerminateDisabled: boolean;
    };
    expect(settings.Codec.Endpoint).toBe(`http://127.0.0.1:${ports.api}/codec`);
    expect(settings.DisableWriteActions).toBe(true);
    expect(settings.WorkflowTerminateDisabled).toBe(true);
    // Reads work through it: the plan's history, as the UI loads it.
    const history = await fetch(
      `http://localhost:${ports.ui}/api/v1/namespaces/default/workflows/${encodeURIComponent(PLAN)}/history`,
    );
    expect(history.status).toBe(200);
  });

  it('refuses a terminate through the UI HTTP API, and the plan keeps running', async () => {
    for (const action of ['terminate', 'cancel', 'signal/planCommand', 'reset']) {
      const response = await fetch(
        `http://localhost:${ports.ui}/api/v1/namespaces/default/workflows/${encodeURIComponent(PLAN)}/${action}`,
        { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ reason: 'ops' }) },
      );
      expect([action, response.status]).toEqual([action, 405]);
    }
    const connection = await Connection.connect({ address: `127.0.0.1:${ports.temporal}` });
    try {
      const description = await connection.workflowService.describeWorkflowExecution({
        namespace: 'default',
        execution: { workflowId: PLAN },
      });
      expect(description.workflowExecutionInfo?.status).toBe(
        temporal.api.enums.v1.WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING,
      );
    } finally {
      await connection.close();
    }
  });

  it('decodes for the UI on this machine without a token, and refuses callers from elsewhere', async () => {
    const body = JSON.stringify(payloadsToJson(await storedPayloads()));
    const headers = { 'content-type': 'application/json', origin: `http://localhost:${ports.ui}` };
    const response = await fetch(`http://127.0.0.1:${ports.api}/codec/decode`, { method: 'POST', headers, body });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(`http://localhost:${ports.ui}`);
    const decoded = payloadsFromJson(await response.json()).map((p) => defaultPayloadConverter.fromPayload(p));
    expect(JSON.stringify(decoded)).toContain(propagandaPlan().tasks[0].title);

    const address = nonLoopbackAddress();
    if (!address) {
      console.warn('no non-loopback IPv4 address on this machine: the refusal from elsewhere is not exercised');
      return;
    }
    // From another address of this machine (as a LAN client would arrive): refused, or not even listening.
    const remote = await fetch(`http://${address}:${ports.api}/codec/decode`, { method: 'POST', headers, body }).then(
      (r) => r.status,
      () => 'connection refused',
    );
    console.info(`codec endpoint called from ${address}: ${remote}`);
    expect([403, 'connection refused']).toContain(remote);
  });

  it('records who cancelled a plan with `temporal workflow cancel`, and when, in its audit log and archive', async () => {
    const workflowId = planWorkflowId(CONGRESS, 'BPHC');
    const cli = spawnSync(
      findTemporalCli(),
      [
        'workflow',
        'cancel',
        '--address',
        `127.0.0.1:${ports.temporal}`,
        '--namespace',
        'default',
        '--workflow-id',
        workflowId,
      ],
      { encoding: 'utf8' },
    );
    expect(cli.status).toBe(0);
    const stopped = await eventually(async () => {
      const r = await fetch(`http://localhost:${ports.api}/plans/${CONGRESS}/BPHC/audit?limit=500`, { headers: auth });
      if (r.status !== 200) return undefined;
      const { entries } = (await r.json()) as {
        entries: { action: string; actor: string; reason?: string; at: number }[];
      };
      return entries.find((e) => e.action === 'plan.stopped');
    }, 30_000);
    // The CLI's identity names the operator's account and machine.
    expect(stopped.actor).toMatch(/^temporal:.+@.+/);
    expect(stopped.reason).toMatch(/^cancelled outside tminus \(Temporal cancel request\); requested at \d{4}-/);
    const archiveFile = path.join(dataDir, 'reports', folderFor(workflowId), 'archive.json');
    const archive = await eventually(async () =>
      existsSync(archiveFile)
        ? (JSON.parse(readFileSync(archiveFile, 'utf8')) as {
            state: { status: string; audit: { action: string; actor: string }[] };
          })
        : undefined,
    );
    expect(archive.state.status).toBe('stopped');
    expect(archive.state.audit.find((e) => e.action === 'plan.stopped')?.actor).toBe(stopped.actor);
  });
});
