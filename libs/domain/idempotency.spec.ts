import { domainErrorOf } from '../../test/domain-error';
import {
  IDEMPOTENCY_WINDOW_MS,
  rememberRequest,
  replayFrom,
  replayOf,
  requestFingerprint,
  type RememberedRequest,
} from './idempotency';

describe('the idempotency policy', () => {
  const move = { startDate: '2027-10-21', endDate: '2027-10-23', reason: 'lùi một tuần' };

  it('gives a retry the same fingerprint, whatever the order of its fields', () => {
    const reordered = { reason: move.reason, endDate: move.endDate, startDate: move.startDate };
    expect(requestFingerprint('moveCongressDay', 'vptu-tt1', reordered)).toBe(
      requestFingerprint('moveCongressDay', 'vptu-tt1', move),
    );
  });

  it('tells apart another command, other content and another caller', () => {
    const first = requestFingerprint('moveCongressDay', 'vptu-tt1', move);
    expect(requestFingerprint('addPlan', 'vptu-tt1', move)).not.toBe(first);
    expect(requestFingerprint('moveCongressDay', 'vptu-tt1', { ...move, endDate: '2027-10-24' })).not.toBe(first);
    expect(requestFingerprint('moveCongressDay', 'someone-else', move)).not.toBe(first);
  });

  it('answers a new request with nothing, a retry with the first result marked replayed', () => {
    const fingerprint = requestFingerprint('moveCongressDay', 'vptu-tt1', move);
    const remembered: RememberedRequest<{ ok: true; plans: number }> = {
      key: 'k-00000001',
      fingerprint,
      type: 'moveCongressDay',
      result: { ok: true, plans: 3 },
    };
    expect(replayOf(undefined, 'k-00000001', fingerprint)).toBeUndefined();
    expect(replayOf(remembered, 'k-00000001', fingerprint)).toEqual({ ok: true, plans: 3, replayed: true });
    expect(replayFrom([remembered], undefined, fingerprint)).toBeUndefined();
    expect(replayFrom([remembered], 'k-00000002', fingerprint)).toBeUndefined();
    expect(replayFrom([remembered], 'k-00000001', fingerprint)).toEqual({ ok: true, plans: 3, replayed: true });
  });

  it('refuses the same key for a different request with a 409 naming the header', () => {
    const remembered = { key: 'k-00000001', fingerprint: 'a', type: 'moveCongressDay', result: { ok: true } };
    const error = domainErrorOf(() => replayOf(remembered, 'k-00000001', 'b'));
    expect(error.code).toBe('INVALID_TRANSITION');
    expect(error.message).toMatch(/Idempotency-Key k-00000001 was already used for a different request/);
    expect(error.issues).toEqual([expect.objectContaining({ path: 'Idempotency-Key' })]);
  });

  it('takes a remembered request without a fingerprint (recorded before them) as a retry', () => {
    expect(replayOf({ fingerprint: '', result: { ok: true } }, 'k-00000001', 'b')).toEqual({
      ok: true,
      replayed: true,
    });
  });

  it('remembers each key once, for the window', () => {
    const remembered: Array<RememberedRequest<number>> = [];
    rememberRequest(remembered, { key: 'a-0000001', fingerprint: 'x', result: 1, at: 0 });
    const half = IDEMPOTENCY_WINDOW_MS / 2;
    rememberRequest(remembered, { key: 'b-0000001', fingerprint: 'y', result: 2, at: half });
    rememberRequest(remembered, { key: 'a-0000001', fingerprint: 'x', result: 1, at: 2 * half - 1 });
    expect(remembered.map((r) => r.key)).toEqual(['b-0000001', 'a-0000001']);
    rememberRequest(remembered, { key: 'c-0000001', fingerprint: 'z', result: 3, at: half + IDEMPOTENCY_WINDOW_MS });
    expect(remembered.map((r) => r.key)).toEqual(['a-0000001', 'c-0000001']);
  });
});
