import { instantAt } from './calendar';
import { domainErrorOf } from '../../test/domain-error';
import { DAY_MS, HOUR_MS } from './duration';
import {
  DEFAULT_DUE_MINUTE,
  buildScheduleContext,
  congressEndInstant,
  congressStartInstant,
  nextCheckIn,
  parseDue,
  phaseAt,
  resolveDue,
  resolveDueText,
  type ScheduleContext,
} from './schedule';

const HCM = 'Asia/Ho_Chi_Minh';
const BERLIN = 'Europe/Berlin';

/** A provincial congress from Wednesday 14 to Friday 16 October 2026 in Vietnam. */
const congress = { startDate: '2026-10-14', endDate: '2026-10-16', timeZone: HCM };

describe('parseDue', () => {
  describe('congress-relative forms', () => {
    it('parses T-30d: thirty calendar days before the first day, at 17:00', () => {
      expect(parseDue('T-30d')).toEqual({
        kind: 'congress',
        anchor: 'start',
        days: -30,
        workingDays: false,
        minuteOfDay: 17 * 60,
      });
      expect(DEFAULT_DUE_MINUTE).toBe(17 * 60);
    });

    it('parses T-10wd as working days', () => {
      expect(parseDue('T-10wd')).toEqual({
        kind: 'congress',
        anchor: 'start',
        days: -10,
        workingDays: true,
        minuteOfDay: 17 * 60,
      });
    });

    it('parses T+1d@08:00 with a time of day', () => {
      expect(parseDue('T+1d@08:00')).toEqual({
        kind: 'congress',
        anchor: 'start',
        days: 1,
        workingDays: false,
        minuteOfDay: 8 * 60,
      });
    });

    it('parses a bare T as congress day at 17:00', () => {
      expect(parseDue('T')).toEqual({
        kind: 'congress',
        anchor: 'start',
        days: 0,
        workingDays: false,
        minuteOfDay: 17 * 60,
      });
    });

    it('parses T@06:30 with a time of day and no offset', () => {
      expect(parseDue('T@06:30')).toMatchObject({ kind: 'congress', days: 0, minuteOfDay: 6 * 60 + 30 });
    });

    it('parses E+7d from the last congress day', () => {
      expect(parseDue('E+7d')).toEqual({
        kind: 'congress',
        anchor: 'end',
        days: 7,
        workingDays: false,
        minuteOfDay: 17 * 60,
      });
    });

    it('ignores surrounding whitespace', () => {
      expect(parseDue('  T-30d ')).toEqual(parseDue('T-30d'));
    });
  });

  describe('after another task', () => {
    it('parses after:X+5d as a duration offset', () => {
      expect(parseDue('after:HC-01+5d')).toEqual({
        kind: 'after',
        taskRef: 'HC-01',
        offset: { durationMs: 5 * DAY_MS },
      });
    });

    it('parses after:X+3wd as working days', () => {
      expect(parseDue('after:HC-01+3wd')).toEqual({ kind: 'after', taskRef: 'HC-01', offset: { workingDays: 3 } });
    });

    it('parses after:UNIT:X (another unit’s task) with no offset', () => {
      expect(parseDue('after:BPHC:HC-02')).toEqual({
        kind: 'after',
        taskRef: 'BPHC:HC-02',
        offset: { durationMs: 0 },
      });
    });

    it('parses after:UNIT:X+1d12h', () => {
      expect(parseDue('after:BPHC:HC-02+1d12h')).toEqual({
        kind: 'after',
        taskRef: 'BPHC:HC-02',
        offset: { durationMs: 36 * HOUR_MS },
      });
    });
  });

  describe('after activation of a contingency', () => {
    it('parses A+2d', () => {
      expect(parseDue('A+2d')).toEqual({ kind: 'activation', offset: { durationMs: 2 * DAY_MS } });
    });

    it('parses A+6h and A+1wd', () => {
      expect(parseDue('A+6h')).toEqual({ kind: 'activation', offset: { durationMs: 6 * HOUR_MS } });
      expect(parseDue('A+1wd')).toEqual({ kind: 'activation', offset: { workingDays: 1 } });
    });

    it('parses a bare A as the moment of activation', () => {
      expect(parseDue('A')).toEqual({ kind: 'activation', offset: { durationMs: 0 } });
    });
  });

  describe('ISO instants', () => {
    it('parses an instant with an offset', () => {
      expect(parseDue('2026-01-10T17:00:00+07:00')).toEqual({ kind: 'absolute', at: Date.UTC(2026, 0, 10, 10) });
    });

    it('parses an instant in UTC, with or without seconds and fractions', () => {
      expect(parseDue('2026-01-10T10:00Z')).toEqual({ kind: 'absolute', at: Date.UTC(2026, 0, 10, 10) });
      expect(parseDue('2026-01-10T10:00:00.500Z')).toEqual({ kind: 'absolute', at: Date.UTC(2026, 0, 10, 10) + 500 });
    });
  });

  describe('malformed expressions', () => {
    it.each([
      ['', 'an empty string'],
      ['T-30', 'a number without a unit'],
      ['T-30days', 'a spelled-out unit'],
      ['X-3d', 'an unknown anchor'],
      ['T-3w', 'weeks relative to congress day'],
      ['T-1d@8:00', 'a one-digit hour'],
      ['2026-01-10T17:00:00', 'an ISO instant without an offset'],
      ['2026-01-10', 'a bare date'],
      ['after:', 'after without a task'],
      ['next week', 'prose'],
    ])('rejects %j (%s), naming the path', (text, _why) => {
      const err = domainErrorOf(() => parseDue(text, 'plan.tasks[3].due'));
      expect(err.code).toBe('INVALID_INPUT');
      expect(err.issues).toHaveLength(1);
      expect(err.issues[0].path).toBe('plan.tasks[3].due');
      expect(err.issues[0].message.startsWith(`"${text}" is not a due time: `)).toBe(true);
      expect(err.message).toBe(`plan.tasks[3].due: ${err.issues[0].message}`);
    });

    it('uses the path "due" by default', () => {
      const err = domainErrorOf(() => parseDue('soon'));
      expect(err.issues[0].path).toBe('due');
      expect(err.message).toMatch(/^due: "soon" is not a due time: use T-30d, T-10wd/);
    });

    it('rejects an impossible time of day', () => {
      const err = domainErrorOf(() => parseDue('T+1d@25:00', 'tasks[0].due'));
      expect(err.issues).toEqual([
        { path: 'tasks[0].due', message: '"T+1d@25:00" is not a due time: the time of day is invalid' },
      ]);
      expect(() => parseDue('T@12:60')).toThrow('the time of day is invalid');
    });

    it('rejects an offset that is neither a duration nor working days', () => {
      const err = domainErrorOf(() => parseDue('after:HC-01+5q', 'tasks[1].due'));
      expect(err.issues).toEqual([
        {
          path: 'tasks[1].due',
          message: '"after:HC-01+5q" is not a due time: "5q" is neither a duration (5d, 12h) nor working days (3wd)',
        },
      ]);
      expect(domainErrorOf(() => parseDue('A+soon', 'x')).issues[0].path).toBe('x');
    });

    it('rejects an ISO instant with an impossible month', () => {
      const err = domainErrorOf(() => parseDue('2026-13-01T10:00:00+07:00', 'tasks[2].due'));
      expect(err.issues[0]).toEqual({
        path: 'tasks[2].due',
        message: '"2026-13-01T10:00:00+07:00" is not a due time: the instant is not a real date',
      });
    });
  });
});

describe('resolveDue', () => {
  const ctx = buildScheduleContext(congress, undefined);

  it('resolves an absolute instant to itself', () => {
    expect(resolveDue({ kind: 'absolute', at: 42 }, ctx)).toBe(42);
  });

  describe('congress-relative deadlines', () => {
    it('resolves T-30d to 17:00 local thirty calendar days before the first day', () => {
      expect(resolveDueText('T-30d', ctx)).toBe(instantAt('2026-09-14', 17 * 60, HCM));
      expect(resolveDueText('T-30d', ctx)).toBe(Date.UTC(2026, 8, 14, 10));
    });

    it('resolves T to 17:00 on the first day and T+1d@08:00 to 08:00 the next day', () => {
      expect(resolveDueText('T', ctx)).toBe(instantAt('2026-10-14', 17 * 60, HCM));
      expect(resolveDueText('T+1d@08:00', ctx)).toBe(instantAt('2026-10-15', 8 * 60, HCM));
    });

    it('resolves E+7d from the last congress day', () => {
      expect(resolveDueText('E+7d', ctx)).toBe(instantAt('2026-10-23', 17 * 60, HCM));
    });

    it('keeps calendar-day deadlines on weekends and holidays', () => {
      const tet = buildScheduleContext({ startDate: '2027-02-15', endDate: '2027-02-16', timeZone: HCM }, undefined);
      // 2027-02-08 is the third day of Tết, 2027-02-13 a Saturday.
      expect(resolveDueText('T-7d', tet)).toBe(instantAt('2027-02-08', 17 * 60, HCM));
      expect(resolveDueText('T-2d', tet)).toBe(instantAt('2027-02-13', 17 * 60, HCM));
    });

    it('resolves T-10wd skipping weekends', () => {
      expect(resolveDueText('T-10wd', ctx)).toBe(instantAt('2026-09-30', 17 * 60, HCM));
    });

    it('resolves T-5wd before a congress on 2027-02-15 skipping Tết', () => {
      const tet = buildScheduleContext({ startDate: '2027-02-15', endDate: '2027-02-16', timeZone: HCM }, undefined);
      expect(resolveDueText('T-5wd', tet)).toBe(instantAt('2027-02-03', 17 * 60, HCM));
    });

    it('resolves the same T-5wd to 2027-02-08 with a calendar without public holidays', () => {
      const plain = buildScheduleContext(
        { startDate: '2027-02-15', endDate: '2027-02-16', timeZone: HCM },
        { base: 'NONE' },
      );
      expect(resolveDueText('T-5wd', plain)).toBe(instantAt('2027-02-08', 17 * 60, HCM));
    });

    it('resolves T+0wd on a Saturday congress day to the Friday before', () => {
      const saturday = buildScheduleContext({ startDate: '2026-10-24', endDate: '2026-10-25', timeZone: HCM }, {});
      expect(resolveDueText('T+0wd', saturday)).toBe(instantAt('2026-10-23', 17 * 60, HCM));
    });

    it('resolves 17:00 in the congress’s own time zone', () => {
      const berlin = buildScheduleContext({ startDate: '2026-03-29', endDate: '2026-03-30', timeZone: BERLIN }, {});
      expect(resolveDueText('T', berlin)).toBe(Date.UTC(2026, 2, 29, 15));
      expect(resolveDueText('T-1d', berlin)).toBe(Date.UTC(2026, 2, 28, 16));
    });
  });

  describe('after another task', () => {
    const completedAt = instantAt('2026-10-09', 10 * 60, HCM); // a Friday morning
    const withCompletion = (refs: Record<string, number>): ScheduleContext =>
      buildScheduleContext(congress, undefined, (ref) => refs[ref]);

    it('is undefined until the task is completed', () => {
      expect(resolveDueText('after:HC-01+5d', ctx)).toBeUndefined();
      expect(resolveDueText('after:HC-01+5d', withCompletion({ OTHER: completedAt }))).toBeUndefined();
    });

    it('adds a duration to the completion instant', () => {
      expect(resolveDueText('after:HC-01+5d', withCompletion({ 'HC-01': completedAt }))).toBe(completedAt + 5 * DAY_MS);
      expect(resolveDueText('after:HC-01', withCompletion({ 'HC-01': completedAt }))).toBe(completedAt);
    });

    it('counts working days from the local date of completion and lands at 17:00', () => {
      expect(resolveDueText('after:HC-01+3wd', withCompletion({ 'HC-01': completedAt }))).toBe(
        instantAt('2026-10-14', 17 * 60, HCM),
      );
    });

    it('asks for another unit’s task by its UNIT:taskId reference', () => {
      const asked: string[] = [];
      const recording = buildScheduleContext(congress, undefined, (ref) => {
        asked.push(ref);
        return ref === 'BPHC:HC-02' ? completedAt : undefined;
      });
      expect(resolveDueText('after:BPHC:HC-02+1d', recording)).toBe(completedAt + DAY_MS);
      expect(asked).toEqual(['BPHC:HC-02']);
    });
  });

  describe('after activation', () => {
    const activatedAt = instantAt('2026-10-10', 9 * 60, HCM); // a Saturday
    const activation = buildScheduleContext(congress, undefined, undefined, (scenario) =>
      scenario === 'epidemic' ? activatedAt : undefined,
    );

    it('is undefined while the scenario is not active or unnamed', () => {
      expect(resolveDueText('A+2d', activation, 'security-incident')).toBeUndefined();
      expect(resolveDueText('A+2d', activation)).toBeUndefined();
    });

    it('counts from the activation of the task’s scenario', () => {
      expect(resolveDueText('A+2d', activation, 'epidemic')).toBe(activatedAt + 2 * DAY_MS);
      expect(resolveDueText('A+6h', activation, 'epidemic')).toBe(activatedAt + 6 * HOUR_MS);
    });

    it('counts working days from a weekend activation', () => {
      // Saturday 10 Oct + 1 working day = Monday 12 Oct, 17:00.
      expect(resolveDueText('A+1wd', activation, 'epidemic')).toBe(instantAt('2026-10-12', 17 * 60, HCM));
    });
  });

  it('rejects a malformed congress date in the context', () => {
    expect(() => buildScheduleContext({ ...congress, endDate: '2026-10-32' }, undefined)).toThrow(RangeError);
  });

  it('names the path in resolveDueText errors', () => {
    const err = domainErrorOf(() => resolveDueText('T-3x', ctx, undefined, 'body.due'));
    expect(err.issues[0].path).toBe('body.due');
  });
});

describe('phaseAt and congress instants', () => {
  const start = instantAt('2026-10-14', 0, HCM);
  const afterEnd = instantAt('2026-10-17', 0, HCM);

  it('is before until local midnight of the first day', () => {
    expect(phaseAt(start - 1, congress)).toBe('before');
    expect(phaseAt(instantAt('2026-07-01', 8 * 60, HCM), congress)).toBe('before');
  });

  it('is during from the first day’s midnight through the whole last day', () => {
    expect(phaseAt(start, congress)).toBe('during');
    expect(phaseAt(instantAt('2026-10-16', 23 * 60 + 59, HCM), congress)).toBe('during');
    expect(phaseAt(afterEnd - 1, congress)).toBe('during');
  });

  it('is after from midnight following the last day', () => {
    expect(phaseAt(afterEnd, congress)).toBe('after');
    expect(phaseAt(afterEnd + 30 * DAY_MS, congress)).toBe('after');
  });

  it('gives the start and end instants as local midnights', () => {
    expect(congressStartInstant(congress)).toBe(start);
    expect(congressStartInstant(congress)).toBe(Date.UTC(2026, 9, 13, 17));
    expect(congressEndInstant(congress)).toBe(afterEnd);
  });

  it('treats a one-day congress as one local day long', () => {
    const oneDay = { startDate: '2026-10-14', endDate: '2026-10-14', timeZone: HCM };
    expect(congressEndInstant(oneDay) - congressStartInstant(oneDay)).toBe(DAY_MS);
  });
});

describe('nextCheckIn', () => {
  const local = (date: string, hh: number, mm = 0) => instantAt(date, hh * 60 + mm, HCM);

  it('is undefined without check-ins', () => {
    expect(nextCheckIn(local('2026-07-15', 10), 'none', HCM)).toBeUndefined();
  });

  describe('monthly', () => {
    it('is 08:00 local on the first of the next month', () => {
      expect(nextCheckIn(local('2026-07-15', 10), 'monthly', HCM)).toBe(local('2026-08-01', 8));
    });

    it('is later the same day before 08:00 on the first', () => {
      expect(nextCheckIn(local('2026-08-01', 7, 59), 'monthly', HCM)).toBe(local('2026-08-01', 8));
    });

    it('is strictly after the given instant', () => {
      expect(nextCheckIn(local('2026-08-01', 8), 'monthly', HCM)).toBe(local('2026-09-01', 8));
    });

    it('crosses a year end', () => {
      expect(nextCheckIn(local('2026-12-20', 9), 'monthly', HCM)).toBe(local('2027-01-01', 8));
    });

    it('uses the local date, not the UTC date', () => {
      // 2026-07-31T20:00Z is already 03:00 on 1 August in Vietnam.
      expect(nextCheckIn(Date.UTC(2026, 6, 31, 20), 'monthly', HCM)).toBe(Date.UTC(2026, 7, 1, 1));
    });
  });

  describe('quarterly', () => {
    it('is the first day of the next quarter', () => {
      expect(nextCheckIn(local('2026-05-10', 12), 'quarterly', HCM)).toBe(local('2026-07-01', 8));
      expect(nextCheckIn(local('2026-11-01', 12), 'quarterly', HCM)).toBe(local('2027-01-01', 8));
    });

    it('is the same day before 08:00 on the first day of a quarter', () => {
      expect(nextCheckIn(local('2026-10-01', 7), 'quarterly', HCM)).toBe(local('2026-10-01', 8));
    });

    it('never falls on a month that does not start a quarter', () => {
      let t = local('2026-01-15', 12);
      for (let i = 0; i < 6; i++) {
        t = nextCheckIn(t, 'quarterly', HCM)!;
        expect(['01', '04', '07', '10']).toContain(new Date(t + 7 * HOUR_MS).toISOString().slice(5, 7));
      }
    });
  });

  describe('yearly', () => {
    it('is 1 January of the next year', () => {
      expect(nextCheckIn(local('2026-03-03', 12), 'yearly', HCM)).toBe(local('2027-01-01', 8));
    });

    it('is the same day before 08:00 on 1 January', () => {
      expect(nextCheckIn(local('2026-01-01', 7), 'yearly', HCM)).toBe(local('2026-01-01', 8));
    });
  });

  it('is 08:00 local in a DST zone in summer', () => {
    expect(nextCheckIn(Date.UTC(2026, 5, 15), 'monthly', BERLIN)).toBe(Date.UTC(2026, 6, 1, 6));
  });
});
