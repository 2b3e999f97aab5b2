import { DomainError } from './errors';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

const UNIT_MS: Record<string, number> = { w: 7 * DAY_MS, d: DAY_MS, h: HOUR_MS, m: MINUTE_MS, s: 1000 };

/** `3d`, `1d12h`, `2w`, `45m`: weeks, days, hours, minutes, seconds, in that order. */
export const DURATION_PATTERN = /^(\d+w)?(\d+d)?(\d+h)?(\d+m)?(\d+s)?$/;

/** The longest duration accepted (about ten years): beyond it timers and dates leave the calendar's range. */
export const MAX_DURATION_MS = 3660 * DAY_MS;

function totalMs(match: RegExpExecArray): number {
  let total = 0;
  for (const part of match.slice(1)) {
    if (part) total += Number(part.slice(0, -1)) * UNIT_MS[part.slice(-1)];
  }
  return total;
}

/** True when `text` is a duration such as `3d`, `12h`, `1d12h`, `2w`, `30m`, of at most MAX_DURATION_MS. */
export function isDuration(text: string): boolean {
  const match = typeof text === 'string' && text.length > 0 ? DURATION_PATTERN.exec(text) : null;
  return !!match && totalMs(match) <= MAX_DURATION_MS;
}

/** Parses a duration such as `3d`, `1d12h`, `2w` or `45m` into milliseconds. */
export function parseDuration(text: string, path = 'duration'): number {
  const match = DURATION_PATTERN.exec(text);
  if (!text || !match) {
    throw new DomainError('INVALID_INPUT', `${path}: "${text}" is not a duration (use e.g. 3d, 12h, 1d12h, 2w, 30m)`, [
      { path, message: `"${text}" is not a duration (use e.g. 3d, 12h, 1d12h, 2w, 30m)` },
    ]);
  }
  const total = totalMs(match);
  if (total > MAX_DURATION_MS) {
    const message = `"${text}" is longer than ${MAX_DURATION_MS / DAY_MS} days`;
    throw new DomainError('INVALID_INPUT', `${path}: ${message}`, [{ path, message }]);
  }
  return total;
}

/** Formats milliseconds as the shortest duration string, e.g. 129600000 → `1d12h`. */
export function formatDuration(ms: number): string {
  if (ms <= 0) return '0m';
  let rest = ms;
  let out = '';
  for (const unit of ['d', 'h', 'm']) {
    const n = Math.floor(rest / UNIT_MS[unit]);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * UNIT_MS[unit];
    }
  }
  return out || '0m';
}
