import { failsOnce, noticesOf, WebhookReceiver } from './receiver';

const notice = (key: string, extra: Record<string, unknown> = {}) => ({
  idempotencyKey: key,
  event: 'overdue',
  congressId: 'c1',
  unitCode: 'U1',
  taskId: 'T-1',
  level: 1,
  subject: 'Nhiệm vụ quá hạn',
  ...extra,
});

describe('webhook notices', () => {
  it('reads today’s single notice', () => {
    expect(noticesOf(notice('k1'))).toEqual([
      { idempotencyKey: 'k1', event: 'overdue', congressId: 'c1', unitCode: 'U1', taskId: 'T-1', level: 1 },
    ]);
  });

  it('reads a batch as an array or under `notices`, each with its own key', () => {
    expect(noticesOf([notice('a'), notice('b')]).map((n) => n.idempotencyKey)).toEqual(['a', 'b']);
    expect(noticesOf({ notices: [notice('a'), notice('b', { level: 2 })] }).map((n) => n.level)).toEqual([1, 2]);
  });

  it('takes the header’s key for a single notice without one, and skips batch entries without a key', () => {
    expect(noticesOf({ event: 'reminder' }, 'from-header')[0].idempotencyKey).toBe('from-header');
    expect(noticesOf([{ event: 'reminder' }, notice('b')], 'from-header').map((n) => n.idempotencyKey)).toEqual(['b']);
  });

  it('picks about one delivery in ten to fail, the same one every time', () => {
    const keys = Array.from({ length: 2000 }, (_, i) => [`plan/c/U/escalation:T-${i}:1`]);
    const picked = keys.filter((k) => failsOnce(k, 10)).length;
    expect(picked).toBeGreaterThan(150);
    expect(picked).toBeLessThan(250);
    expect(keys.map((k) => failsOnce(k, 10))).toEqual(keys.map((k) => failsOnce(k, 10)));
  });
});

describe('the loopback receiver', () => {
  const receiver = new WebhookReceiver();
  beforeAll(() => receiver.start());
  afterAll(() => receiver.close());

  const post = (body: unknown) =>
    fetch(receiver.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('records first arrival and attempts per notice, for single notices and batches', async () => {
    const before = Date.now();
    expect((await post(notice('r1'))).status).toBe(204);
    expect((await post([notice('r1'), notice('r2')])).status).toBe(204);
    const r1 = receiver.notices.get('r1')!;
    expect(r1.attempts).toBe(2);
    expect(r1.firstArrival).toBeGreaterThanOrEqual(before);
    expect(
      receiver
        .received((n) => n.congressId === 'c1')
        .map((n) => n.idempotencyKey)
        .sort(),
    ).toEqual(['r1', 'r2']);
  });

  it('stalls the chosen congress’s deliveries, recording arrival before the stall, and fails a chosen one once', async () => {
    const failing = Array.from({ length: 200 }, (_, i) => `slow-${i}`).find((k) => failsOnce([k], 10))!;
    receiver.setSlow({ applies: (ns) => ns.some((n) => n.congressId === 'slow'), stallMs: 300, failOneIn: 10 });
    const sent = Date.now();
    const first = await post(notice(failing, { congressId: 'slow' }));
    expect(Date.now() - sent).toBeGreaterThanOrEqual(290);
    expect(first.status).toBe(503);
    expect(receiver.notices.get(failing)!.firstArrival - sent).toBeLessThan(200);
    expect((await post(notice(failing, { congressId: 'slow' }))).status).toBe(204);
    expect((await post(notice('fast-one'))).status).toBe(204);
    expect(receiver.failuresServed).toBe(1);
    receiver.setSlow(undefined);
  });
});
