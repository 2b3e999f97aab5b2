import { DAY_MS, HOUR_MS, MINUTE_MS, formatDuration, isDuration, parseDuration } from './duration';
import { domainErrorOf } from '../../test/domain-error';

describe('duration units', () => {
  it('defines minutes, hours and days in milliseconds', () => {
    expect(MINUTE_MS).toBe(60_000);
    expect(HOUR_MS).toBe(3_600_000);
    expect(DAY_MS).toBe(86_400_000);
  });
});

describe('isDuration', () => {
  it.each(['3d', '12h', '1d12h', '2w', '30m', '45s', '0m', '1w2d3h4m5s', '100d'])('accepts %s', (text) => {
    expect(isDuration(text)).toBe(true);
  });

  it.each([
    ['the empty string', ''],
    ['a bare number', '3'],
    ['an unknown unit', '3y'],
    ['units out of order', '12h1d'],
    ['a repeated unit', '1d1d'],
    ['a negative amount', '-1d'],
    ['a fraction', '1.5d'],
    ['surrounding spaces', ' 3d'],
    ['inner spaces', '1d 12h'],
    ['upper-case units', '3D'],
    ['working days (not a duration)', '3wd'],
  ])('rejects %s', (_label, text) => {
    expect(isDuration(text)).toBe(false);
  });
});

describe('parseDuration', () => {
  it.each([
    ['3d', 3 * DAY_MS],
    ['12h', 12 * HOUR_MS],
    ['1d12h', 36 * HOUR_MS],
    ['2w', 14 * DAY_MS],
    ['30m', 30 * MINUTE_MS],
    ['90s', 90_000],
    ['0m', 0],
    ['1w2d3h4m5s', 9 * DAY_MS + 3 * HOUR_MS + 4 * MINUTE_MS + 5_000],
  ])('parses %s', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it('throws INVALID_INPUT naming the default path "duration"', () => {
    const err = domainErrorOf(() => parseDuration('soon'));
    expect(err.code).toBe('INVALID_INPUT');
    expect(err.message).toBe('duration: "soon" is not a duration (use e.g. 3d, 12h, 1d12h, 2w, 30m)');
    expect(err.issues).toEqual([
      { path: 'duration', message: '"soon" is not a duration (use e.g. 3d, 12h, 1d12h, 2w, 30m)' },
    ]);
  });

  it('names the path it is given', () => {
    const err = domainErrorOf(() => parseDuration('12h1d', 'plan.reminders[1]'));
    expect(err.message.startsWith('plan.reminders[1]: "12h1d"')).toBe(true);
    expect(err.issues).toHaveLength(1);
    expect(err.issues[0].path).toBe('plan.reminders[1]');
  });

  it('rejects the empty string although every part of the pattern is optional', () => {
    const err = domainErrorOf(() => parseDuration('', 'holdFor'));
    expect(err.code).toBe('INVALID_INPUT');
    expect(err.issues[0]).toEqual({
      path: 'holdFor',
      message: '"" is not a duration (use e.g. 3d, 12h, 1d12h, 2w, 30m)',
    });
  });
});

describe('formatDuration', () => {
  it.each([
    [36 * HOUR_MS, '1d12h'],
    [3 * DAY_MS, '3d'],
    [12 * HOUR_MS, '12h'],
    [90 * MINUTE_MS, '1h30m'],
    [DAY_MS + 5 * MINUTE_MS, '1d5m'],
    [14 * DAY_MS, '14d'],
  ])('formats %i ms as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('drops seconds below a minute', () => {
    expect(formatDuration(HOUR_MS + 59_999)).toBe('1h');
    expect(formatDuration(30_000)).toBe('0m');
  });

  it('formats zero and negative amounts as 0m', () => {
    expect(formatDuration(0)).toBe('0m');
    expect(formatDuration(-DAY_MS)).toBe('0m');
  });

  it('round-trips whole-minute durations through parseDuration', () => {
    for (const text of ['1d12h', '7d', '1d', '2h45m', '5m']) {
      expect(formatDuration(parseDuration(text))).toBe(text);
    }
  });
});
