/**
 * Bad input and attack, generated: schemathesis (pinned, installed by scripts/schemathesis.js into .tools/) runs
 * against the OpenAPI document the API serves, once with an admin token and once with a token limited to one
 * unit, each bounded in time. Every response must be documented (status, content type, schema) and none may be
 * a 5xx other than the documented 503.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { addCalendarDays, localDateOf } from '../../libs/domain';
import { api, apiUrl, bearer, eventually } from './client';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const schemathesis = require('../../scripts/schemathesis.js') as { install(): string };

const SECONDS_PER_RUN = Number(process.env.TMINUS_FUZZ_SECONDS ?? 75);
const CHECKS = [
  'not_a_server_error',
  'status_code_conformance',
  'content_type_conformance',
  'response_schema_conformance',
  'negative_data_rejection',
];

interface FuzzResult {
  exitCode: number | null;
  output: string;
  requests: number;
  statuses: Record<string, number>;
}

/** Runs schemathesis with `authorization`; counts the requests and statuses from its ndjson report. */
function fuzz(name: string, authorization: string): Promise<FuzzResult> {
  const executable = schemathesis.install();
  const reportDir = path.join(process.env.TMINUS_E2E_DIR!, `schemathesis-${name}`);
  mkdirSync(reportDir, { recursive: true });
  const ndjson = path.join(reportDir, 'events.ndjson');
  const args = [
    'run',
    `${apiUrl()}/docs/openapi.json`,
    '--url',
    apiUrl(),
    '--header',
    `Authorization: ${authorization}`,
    '--checks',
    CHECKS.join(','),
    '--max-time',
    String(SECONDS_PER_RUN),
    '--max-examples',
    '40',
    '--workers',
    '2',
    '--seed',
    '20261123',
    '--request-timeout',
    '20',
    '--report',
    'ndjson,junit',
    '--report-dir',
    reportDir,
    '--report-ndjson-path',
    ndjson,
    '--no-color',
  ];
  return new Promise((resolve, reject) => {
    // Run from the report folder, so that schemathesis's cache stays out of the repository.
    const child = spawn(executable, args, {
      cwd: reportDir,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('error', reject);
    child.on('exit', (exitCode) => {
      const statuses: Record<string, number> = {};
      let requests = 0;
      if (existsSync(ndjson)) {
        for (const line of readFileSync(ndjson, 'utf8').split('\n')) {
          for (const match of line.matchAll(/"status_code":\s*(\d{3})/g)) {
            requests++;
            statuses[match[1]] = (statuses[match[1]] ?? 0) + 1;
          }
        }
      }
      resolve({ exitCode, output, requests, statuses });
    });
  });
}

describe('schemathesis against the served OpenAPI document', () => {
  beforeAll(async () => {
    // Something to find: a congress with plans, so that generated reads and commands reach real workflows.
    const startDate = addCalendarDays(localDateOf(Date.now(), 'Asia/Ho_Chi_Minh'), 90);
    await api()
      .post('/congresses/from-template')
      .set('Authorization', bearer('vptu-fuzz', ['coordinator']))
      .send({ template: 'provincial', id: 'dh-fuzz', startDate })
      .expect(201);
    await eventually(async () =>
      (
        await api()
          .get('/plans/dh-fuzz/BPTT')
          .set('Authorization', bearer('vptu-fuzz', ['viewer']))
      ).ok
        ? true
        : undefined,
    );
  });

  it.each([
    ['an admin token', 'admin', bearer('fuzz-admin', ['admin'])],
    ['a token limited to BPTT', 'scoped', bearer('fuzz-bptt', ['coordinator', 'approver', 'viewer'], ['BPTT'])],
  ])('with %s: no 5xx, nothing undocumented', async (_label, name, authorization) => {
    const result = await fuzz(name, authorization);
    const serverErrors = Object.entries(result.statuses).filter(([status]) => Number(status) >= 500);
    console.log(
      `schemathesis (${name}): ${result.requests} requests, statuses ${JSON.stringify(result.statuses)}, exit ${result.exitCode}`,
    );
    expect(result.requests).toBeGreaterThan(100);
    expect(serverErrors).toEqual([]);
    if (result.exitCode !== 0) throw new Error(result.output.slice(-20_000));
  });
});
