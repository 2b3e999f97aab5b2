/**
 * Property tests of the schedule maths: any due text and any duration text parse to a value or to a
 * validation error naming the path; a parsed deadline resolves to a real instant for any congress dates and
 * time zone the validator accepts; check-ins always lie ahead.
 */
import fc from 'fast-check';
import { DomainError } from './errors';
import { isDuration, parseDuration } from './duration';
import { buildScheduleContext, nextCheckIn, parseDue, resolveDue, type DueSpec } from './schedule';
import { addCalendarDays } from './calendar';

const RUNS = 1000;
const ZONES = ['Asia/Ho_Chi_Minh', 'UTC', 'Pacific/Kiritimati', 'America/St_Johns', 'Asia/Kathmandu'];

/** Either `run()`'s value, or a DomainError naming one of `paths`; anything else fails the property. */
function valueOrNamedError<T>(run: () => T, ...paths: string[]): T | undefined {
  try {
    return run();
  } catch (err) {
    expect(err).toBeInstanceOf(DomainError);
    const issues = (err as DomainError).issues;
    expect(issues).toEqual([expect.objectContaining({ path: expect.any(String), message: expect.any(String) })]);
    expect(paths).toContain(issues[0]!.path);
    return undefined;
  }
}

const number = fc.oneof(fc.nat({ max: 400 }), fc.nat(), fc.constantFrom('99999999999', '0', '007').map(Number));
/** Texts shaped like due times, with any numbers, and plain noise. */
const dueText = fc.oneof(
  fc.string(),
  fc
    .tuple(
      fc.constantFrom('T', 'E'),
      fc.constantFrom('+', '-'),
      fc.oneof(number, fc.constantFrom('99999999999')),
      fc.constantFrom('d', 'wd'),
    )
    .map(([a, s, n, u]) => `${a}${s}${n}${u}`),
  fc
    .tuple(fc.constantFrom('T-30d', 'E+1d', 'T'), fc.nat({ max: 99 }), fc.nat({ max: 99 }))
    .map(([base, h, m]) => `${base}@${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`),
  fc
    .tuple(
      fc.constantFrom('after:TT-01+', 'A+', 'after:BPHC:HC-02+'),
      fc.oneof(number.map(String), fc.constant('99999999999')),
      fc.constantFrom('d', 'wd', 'h', 'w', 'm', ''),
    )
    .map(([p, n, u]) => `${p}${n}${u}`),
  fc.date({ noInvalidDate: false }).map((d) => (Number.isNaN(d.getTime()) ? 'NaN' : d.toISOString())),
  fc
    .tuple(
      fc.integer({ min: 0, max: 9999 }),
      fc.integer({ min: 0, max: 19 }),
      fc.integer({ min: 0, max: 39 }),
      fc.constantFrom('Z', '+07:00', '-23:59'),
    )
    .map(
      ([y, mo, d, z]) =>
        `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}T10:00${z}`,
    ),
);

const durationText = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc
    .tuple(fc.oneof(number, fc.constantFrom(99999999999, 1e300)), fc.constantFrom('w', 'd', 'h', 'm', 's'))
    .map(([n, u]) => `${BigInt(Math.floor(n))}${u}`),
);

describe('schedule properties', () => {
  it('parseDue: any text gives a deadline or a validation error naming the path', () => {
    fc.assert(
      fc.property(dueText, (text) => {
        valueOrNamedError(() => parseDue(text, 'plans[0].tasks[3].due'), 'plans[0].tasks[3].due');
      }),
      { numRuns: RUNS },
    );
  });

  it('parseDuration: any text gives a finite number of milliseconds or a validation error naming the path', () => {
    fc.assert(
      fc.property(durationText, (text) => {
        const ms = valueOrNamedError(() => parseDuration(text, 'holdFor'), 'holdFor');
        if (ms !== undefined) {
          expect(isDuration(text) || text === '').toBe(true);
          expect(Number.isFinite(ms)).toBe(true);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('resolveDue: a parsed deadline resolves to a real instant (or waits on its event), for any congress dates and zone', () => {
    const day = fc.integer({ min: 0, max: 365 * 30 }).map((n) => addCalendarDays('2020-01-01', n));
    fc.assert(
      fc.property(
        dueText,
        day,
        fc.nat({ max: 10 }),
        fc.constantFrom(...ZONES),
        fc.option(fc.integer({ min: 0, max: 4e12 })),
        (text, start, length, zone, happened) => {
          const spec = valueOrNamedError<DueSpec>(() => parseDue(text, 'due'), 'due');
          if (!spec) return;
          const ctx = buildScheduleContext(
            { startDate: start, endDate: addCalendarDays(start, length), timeZone: zone },
            undefined,
            () => happened ?? undefined,
            () => happened ?? undefined,
          );
          // Working days are refused outside the years whose holidays are known: an error naming the calendar.
          const at = valueOrNamedError(() => resolveDue(spec, ctx, 'epidemic'), 'due', 'calendar');
          if (at !== undefined) expect(Number.isFinite(at)).toBe(true);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('nextCheckIn: always after the given instant, within a year', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 4e12 }),
        fc.constantFrom('monthly', 'quarterly', 'yearly'),
        fc.constantFrom(...ZONES),
        (after, cadence, zone) => {
          const next = nextCheckIn(after, cadence, zone)!;
          expect(next).toBeGreaterThan(after);
          expect(next - after).toBeLessThanOrEqual(366 * 24 * 3600 * 1000 + 24 * 3600 * 1000);
        },
      ),
      { numRuns: RUNS },
    );
  });
});
