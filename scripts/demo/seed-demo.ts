/**
 * Seeds the demo congress of `npm start -- --demo` through the real API, as a coordinator would: tokens minted
 * like `npm run token` does, the congress created by POST /congresses, and the task waiting on the Standing
 * Committee completed, so that its approval is pending. A refusal of the API is reported with the API's message.
 */
import { planWorkflowId } from '../../libs/contracts/workflow-ids';
import { mintToken } from '../mint-token';
import { demoCongress, type DemoCongress } from './demo-congress';

/** The API refused a step of the seeding (or did not answer): `message` is what it said. */
export class DemoSeedError extends Error {}

export interface SeededDemo {
  demo: DemoCongress;
  coordinatorToken: string;
  approverToken: string;
  /** The pending approval of `demo.approvalTask`. */
  approvalId: string;
}

/** The API's own words from an error answer: its `message` (one or several), else the body as text. */
async function apiMessage(response: Response): Promise<string> {
  const text = await response.text();
  let message = text.trim() || response.statusText;
  try {
    const body = JSON.parse(text) as { message?: string | string[] };
    if (Array.isArray(body.message)) message = body.message.join('; ');
    else if (typeof body.message === 'string') message = body.message;
  } catch {
    // Not JSON: the text as it came.
  }
  return `${response.status} ${message}`;
}

async function post(apiUrl: string, path: string, token: string, body: unknown, what: string): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(`${apiUrl}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  } catch (err) {
    const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : '';
    throw new DemoSeedError(`${what}: the API did not answer (${String(err)}${cause})`);
  }
  if (!response.ok) throw new DemoSeedError(`${what}: the API answered ${await apiMessage(response)}`);
  return response.json();
}

export async function seedDemo(options: {
  /** Where the API answers this process, e.g. `http://127.0.0.1:3000`. */
  apiUrl: string;
  /** The secret the API verifies tokens with. */
  secret: string;
  /** Token lifetime, as `npm run token` defaults it. */
  hours: number;
  now?: number;
}): Promise<SeededDemo> {
  const demo = demoCongress(options.now ?? Date.now());
  const coordinatorToken = mintToken(
    options.secret,
    { sub: demo.coordinator.id, name: demo.coordinator.name, roles: ['coordinator', 'viewer'] },
    options.hours,
  );
  const approverToken = mintToken(
    options.secret,
    { sub: demo.approver.id, name: demo.approver.name, roles: ['approver', 'viewer'] },
    options.hours,
  );
  const { congress, plans } = demo;
  await post(options.apiUrl, '/congresses', coordinatorToken, { congress, plans }, 'creating the demo congress');
  const { unitCode, taskId } = demo.approvalTask;
  const completed = (await post(
    options.apiUrl,
    `/plans/${congress.id}/${unitCode}/tasks/${taskId}/complete`,
    coordinatorToken,
    { note: 'Đã chuẩn bị phương án, trình Ban Thường vụ cho ý kiến' },
    `sending ${taskId} to the Standing Committee`,
  )) as { approvalId?: string };
  if (!completed.approvalId) {
    throw new DemoSeedError(`sending ${taskId} to the Standing Committee: the API opened no approval`);
  }
  return { demo, coordinatorToken, approverToken, approvalId: completed.approvalId };
}

const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

/** What dev.ts prints once the demo is seeded: where to look, the tokens, and commands ready to paste. */
export function demoSummary(seeded: SeededDemo, urls: { api: string; ui: string; namespace: string }): string[] {
  const { demo, coordinatorToken, approverToken, approvalId } = seeded;
  const id = demo.congress.id;
  const workflows = demo.plans.map((plan) => planWorkflowId(id, plan.unitCode));
  const ns = encodeURIComponent(urls.namespace);
  const list = `${urls.ui}/namespaces/${ns}/workflows?query=${encodeURIComponent(
    `TminusCongress="${id}" AND TminusKind="plan"`,
  )}`;
  const [viewed, completed] = [demo.plans[0].unitCode, demo.taskToComplete];
  const auth = (token: string) => `-H ${quote(`Authorization: Bearer ${token}`)}`;
  const json = (body: unknown) => `-H 'Content-Type: application/json' -d ${quote(JSON.stringify(body))}`;
  const width = Math.max(...workflows.map((w) => w.length));
  return [
    '',
    `[tminus] demo congress ${id} created: ${demo.plans.length} plans, tasks due within minutes`,
    `  (reminders now, the first overdue escalation within a minute, ${demo.approvalTask.taskId} waiting on the Standing Committee)`,
    `  Its plans in the Temporal UI  ${list}`,
    ...workflows.map((w) => `    ${w.padEnd(width)}  ${urls.ui}/namespaces/${ns}/workflows/${encodeURIComponent(w)}`),
    `  Coordinator token (${demo.coordinator.id})  ${coordinatorToken}`,
    `  Approver token (${demo.approver.id})  ${approverToken}`,
    `  See the ${viewed} plan:`,
    `    curl -s ${urls.api}/plans/${id}/${viewed} ${auth(coordinatorToken)}`,
    `  Complete ${completed.taskId} (it unblocks the task after it):`,
    `    curl -s -X POST ${urls.api}/plans/${id}/${completed.unitCode}/tasks/${completed.taskId}/complete ` +
      `${auth(coordinatorToken)} ${json({ note: 'Đã hoàn thành' })}`,
    `  Approve ${demo.approvalTask.taskId} as the Standing Committee:`,
    `    curl -s -X POST ${urls.api}/approvals/${id}/${demo.approvalTask.unitCode}/${approvalId}/decision ` +
      `${auth(approverToken)} ${json({ decision: 'approve', comment: 'Đồng ý' })}`,
    '',
  ];
}
