/** The demo congress of `npm start -- --demo`, checked by the domain itself, without a server. */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { JwtService } from '@nestjs/jwt';
import {
  KEY_PATTERN,
  MINUTE_MS,
  addCalendarDays,
  admitCongress,
  advance,
  applyCommand,
  createPlanState,
  instantAt,
  localDateOf,
  parseDuration,
  type PlanState,
} from '../../libs/domain';
import { demoCongress, demoCongressId, localInstant } from './demo-congress';
import { DemoSeedError, demoSummary, seedDemo } from './seed-demo';

const TZ = 'Asia/Ho_Chi_Minh';
// Ordinary afternoons, the last seconds before local midnight and new year's eve: congress day is never past.
const NOWS = [
  instantAt('2026-11-24', 14 * 60 + 30, TZ) + 17_123,
  instantAt('2026-11-24', 23 * 60 + 59, TZ) + 59_500,
  instantAt('2027-12-31', 23 * 60 + 58, TZ),
  Date.now(),
];

const notices = (state: PlanState, event: string) =>
  state.outbox.filter((e) => e.kind === 'notify' && e.event === event).map((e) => ('taskId' in e ? e.taskId : ''));

describe('the demo congress', () => {
  it.each(NOWS.map((now) => [new Date(now).toISOString(), now]))(
    'passes the domain admission at %s, congress day tomorrow in Vietnam',
    (_, now) => {
      const { congress, plans } = demoCongress(now);
      expect(() => admitCongress(congress, plans, now)).not.toThrow();
      expect(congress.startDate).toBe(addCalendarDays(localDateOf(now, TZ), 1));
      expect(congress.id).toMatch(KEY_PATTERN);
      expect(plans.every((p) => !p.approvalPolicy.planRequiresApproval)).toBe(true);
    },
  );

  it('has deadlines within the first few minutes, reminders and escalation steps within ten minutes', () => {
    const now = NOWS[0];
    const { plans } = demoCongress(now);
    const deadlines = plans.flatMap((p) => p.tasks.map((t) => Date.parse(t.due)));
    // Far enough for the API to start the plans before the first one, near enough to see it happen.
    expect(Math.min(...deadlines)).toBeGreaterThanOrEqual(now + 30_000);
    expect(Math.min(...deadlines)).toBeLessThanOrEqual(now + 60_000);
    // Whole seconds, rounded up.
    expect(Math.max(...deadlines)).toBeLessThanOrEqual(now + 5 * MINUTE_MS + 1000);
    for (const plan of plans) {
      const steps = plan.escalationLadder.map((s) => parseDuration(s.after));
      expect(steps.length).toBeGreaterThanOrEqual(3);
      expect(Math.max(...steps)).toBeLessThanOrEqual(10 * MINUTE_MS);
      expect(plan.reminders.map((r) => parseDuration(r)).every((r) => r > 0 && r <= 5 * MINUTE_MS)).toBe(true);
      // The last step of the last deadline: all of it happens within ten minutes.
      const lastDeadline = Math.max(...plan.tasks.map((t) => Date.parse(t.due)));
      expect(lastDeadline + Math.max(...steps)).toBeLessThanOrEqual(now + 10 * MINUTE_MS);
    }
  });

  it('names a task waiting on the Standing Committee and one whose completion unblocks another', () => {
    const demo = demoCongress(NOWS[0]);
    const plan = (unit: string) => demo.plans.find((p) => p.unitCode === unit)!;
    const waiting = plan(demo.approvalTask.unitCode).tasks.find((t) => t.id === demo.approvalTask.taskId)!;
    expect(waiting.requiresApproval).toBe(true);
    const { unitCode, taskId } = demo.taskToComplete;
    expect(plan(unitCode).tasks.some((t) => t.dependsOn?.includes(taskId))).toBe(true);
    const committee = demo.congress.people.standingCommittee.map((p) => p.id);
    expect(committee).toContain(demo.approver.id);
    expect(demo.congress.people.standingSection.map((p) => p.id)).toContain(demo.coordinator.id);
  });

  it('reminds at once and escalates within a minute, when its plans run in the engine', () => {
    const now = NOWS[0];
    const demo = demoCongress(now);
    const states = demo.plans.map((plan) => createPlanState(demo.congress, plan, now));
    for (const state of states) expect(state.status).toBe('active');
    // As the seeder does a few seconds later: the approval task goes to the Standing Committee.
    const logistics = states.find((s) => s.definition.unitCode === demo.approvalTask.unitCode)!;
    const actor = { id: demo.coordinator.id, name: demo.coordinator.name, roles: ['coordinator'] };
    const sent = applyCommand(
      logistics,
      { type: 'completeTask', taskId: demo.approvalTask.taskId, actor },
      now + 5000,
    ) as { approvalId?: string };
    expect(sent.approvalId).toBeDefined();
    expect(logistics.tasks[demo.approvalTask.taskId].status).toBe('awaiting_approval');

    for (const state of states) advance(state, now + 10_000);
    expect(states.flatMap((s) => notices(s, 'reminder')).length).toBeGreaterThan(0);
    expect(states.flatMap((s) => notices(s, 'overdue'))).toEqual([]);

    for (const state of states) advance(state, now + 60_000);
    const propaganda = states[0];
    expect(notices(propaganda, 'overdue')).toEqual(['TT-01']);
    expect(propaganda.audit.some((e) => e.action === 'task.escalated' && e.target === 'TT-01')).toBe(true);

    // Ten minutes on: every ladder climbed to the head, and the pending approval was escalated to the head.
    for (const state of states) advance(state, now + 10 * MINUTE_MS);
    expect(propaganda.tasks['TT-01'].escalation?.firedSteps).toHaveLength(demo.plans[0].escalationLadder.length);
    expect(logistics.audit.some((e) => e.action === 'approval.escalated')).toBe(true);
  });

  it('gets a new id each second, and deadlines as local instants never earlier than asked', () => {
    const now = NOWS[0];
    expect(demoCongressId(now)).toBe('demo-20261124-143017');
    expect(demoCongressId(now + 1000)).not.toBe(demoCongressId(now));
    expect(localInstant(now)).toBe('2026-11-24T14:30:18+07:00');
    expect(Date.parse(localInstant(now))).toBeGreaterThanOrEqual(now);
    expect(localInstant(instantAt('2026-11-24', 0, TZ))).toBe('2026-11-24T00:00:00+07:00');
  });
});

describe('seeding the demo', () => {
  let server: Server;
  let url: string;
  const requests: Array<{ path: string; authorization: string; body: unknown }> = [];
  let answer: (path: string) => { status: number; body: unknown };

  const read = (req: IncomingMessage) =>
    new Promise<string>((resolve) => {
      let text = '';
      req.on('data', (c: Buffer) => (text += c.toString()));
      req.on('end', () => resolve(text));
    });

  beforeAll(async () => {
    server = createServer((req, res) => {
      void read(req).then((text) => {
        requests.push({ path: req.url!, authorization: req.headers.authorization ?? '', body: JSON.parse(text) });
        const { status, body } = answer(req.url!);
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => (requests.length = 0));

  const secret = 'demo-test-secret-0123456789abcdef';

  it("reports the API's message when the API refuses the congress, and sends nothing more", async () => {
    answer = () => ({
      status: 400,
      body: { statusCode: 400, message: ['congress.startDate: must not be in the past (today is 2026-11-24)'] },
    });
    const seeding = seedDemo({ apiUrl: url, secret, hours: 12, now: NOWS[0] });
    await expect(seeding).rejects.toThrow(DemoSeedError);
    await expect(seeding).rejects.toThrow(/400 congress\.startDate: must not be in the past \(today is 2026-11-24\)/);
    expect(requests.map((r) => r.path)).toEqual(['/congresses']);
    // The token is the coordinator's, signed with the API's secret as `npm run token` signs it.
    const claims = new JwtService({ secret }).verify(requests[0].authorization.replace(/^Bearer /, ''));
    expect(claims).toMatchObject({ sub: demoCongress(NOWS[0]).coordinator.id, roles: ['coordinator', 'viewer'] });
    expect(claims.exp - claims.iat).toBe(12 * 3600);
  });

  it('creates the congress, sends the approval task to the Standing Committee, and prints where to look', async () => {
    answer = (path) => ({ status: path === '/congresses' ? 201 : 200, body: { ok: true, approvalId: 'A-1' } });
    const seeded = await seedDemo({ apiUrl: url, secret, hours: 12, now: NOWS[0] });
    const id = seeded.demo.congress.id;
    expect(requests.map((r) => r.path)).toEqual(['/congresses', `/plans/${id}/BPHC/tasks/HC-01/complete`]);
    expect(requests[0].body).toEqual({ congress: seeded.demo.congress, plans: seeded.demo.plans });
    const lines = demoSummary(seeded, {
      api: 'http://localhost:3000',
      ui: 'http://localhost:8233',
      namespace: 'default',
    });
    const text = lines.join('\n');
    expect(text).toContain(`[tminus] demo congress ${id} created`);
    expect(text).toContain(`http://localhost:8233/namespaces/default/workflows/plan%2F${id}%2FBPTT`);
    expect(text).toContain(
      `curl -s http://localhost:3000/plans/${id}/BPTT -H 'Authorization: Bearer ${seeded.coordinatorToken}'`,
    );
    expect(text).toContain(`/approvals/${id}/BPHC/A-1/decision -H 'Authorization: Bearer ${seeded.approverToken}'`);
  });
});
