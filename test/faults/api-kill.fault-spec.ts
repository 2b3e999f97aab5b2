/**
 * The API killed (SIGKILL) in the middle of keyed requests: the client retries each against a new API process
 * with the same Idempotency-Key, and each request is applied exactly once. Many short trials, each killing the
 * API at a different moment of a burst of requests.
 */
import { randomUUID } from 'node:crypto';
import { propagandaPlan } from '../../libs/domain';
import { bearer, FaultStack, http, startCongress, killProcess, sleep } from './harness';

const CONGRESS = 'dh-fault-api';
const PLAN = `/plans/${CONGRESS}/BPTT`;
const coordinator = bearer('vptu-tt1', ['coordinator']);
const TRIALS = 5;
const REQUESTS_PER_TRIAL = 8;

describe('the API killed during keyed requests', () => {
  let stack: FaultStack;

  beforeAll(async () => {
    stack = await FaultStack.start('api-kill');
    await stack.startWorker();
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it(`applies each keyed request exactly once after a retry on a new API process (${TRIALS} trials)`, async () => {
    let api = await stack.startApi();
    await startCongress(api.url, CONGRESS, [propagandaPlan()]);

    const tally = { sent: 0, answeredBeforeKill: 0, cutByKill: 0, appliedBeforeKillButUnanswered: 0, retried: 0 };
    const texts: string[] = [];
    for (let trial = 0; trial < TRIALS; trial++) {
      const keys = Array.from({ length: REQUESTS_PER_TRIAL }, (_, i) => ({
        key: `fault-${trial}-${i}-${randomUUID()}`,
        text: `Góp ý lần ${trial}, số ${i}`,
      }));
      texts.push(...keys.map((k) => k.text));
      const send = (url: string, k: { key: string; text: string }) =>
        http(url)
          .post(`${PLAN}/comments`)
          .set('Authorization', coordinator)
          .set('Idempotency-Key', k.key)
          .send({ text: k.text });
      // A burst, staggered over ~200 ms; the API is killed at a different moment in each trial.
      const inFlight = keys.map(async (k, i) => {
        await sleep(i * 25);
        return send(api.url, k).then(
          (r) => r.status,
          () => 'cut' as const,
        );
      });
      tally.sent += keys.length;
      await sleep(50 + trial * 150);
      await killProcess(api.process, 'SIGKILL');
      const first = await Promise.all(inFlight);
      expect(first.filter((s) => s !== 200 && s !== 'cut')).toEqual([]);
      tally.answeredBeforeKill += first.filter((s) => s === 200).length;
      tally.cutByKill += first.filter((s) => s === 'cut').length;

      api = await stack.startApi();
      // Warm (its Temporal connection made), so that the next trial's kill falls among answered requests too.
      await http(api.url).get(PLAN).set('Authorization', coordinator).expect(200);
      for (const [i, k] of keys.entries()) {
        if (first[i] === 200) continue;
        tally.retried++;
        const retry = await send(api.url, k);
        expect(retry.status).toBe(200);
        if (retry.body.replayed === true) tally.appliedBeforeKillButUnanswered++;
      }
    }
    console.log(`API SIGKILL during keyed requests, ${TRIALS} trials: ${JSON.stringify(tally)}`);

    // Comments beyond a count move to the archive: the audit log has one entry per comment applied, and the
    // comments still in the plan each appear once.
    const audit = await http(api.url).get(`${PLAN}/audit`).query({ limit: 500 }).set('Authorization', coordinator);
    const commented = (audit.body.entries as Array<{ action: string }>).filter((e) => e.action === 'plan.commented');
    expect(commented.length).toBe(texts.length);
    const view = await http(api.url).get(PLAN).set('Authorization', coordinator).expect(200);
    const kept: string[] = view.body.comments.map((c: { text: string }) => c.text);
    expect(new Set(kept).size).toBe(kept.length);
    expect(tally.cutByKill).toBeGreaterThan(0);
  });
});
