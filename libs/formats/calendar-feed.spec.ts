import ICAL from 'ical.js';
import { applyCommand } from '../domain';
import { calendarFeed, type FeedScope } from './calendar-feed';
import { newFeedId, signFeedToken, verifyFeedToken, type FeedTokenClaims } from './feed-token';
import { COORDINATOR, at, runningPlan } from './fixtures';

const NOW = at('2026-09-20');
const UNIT: FeedScope = { kind: 'unit', congressId: 'dh-tinh-xx', unitCode: 'BPTT' };

interface ParsedEvent {
  uid: string;
  summary: string;
  start: string;
  end: string;
  sequence: number;
  status: string | null;
  alarms: string[];
  allDay: boolean;
}

/** Parses a feed with ical.js (a real RFC 5545 parser) into plain events. */
function parse(ics: string): { name: string; events: ParsedEvent[] } {
  const calendar = new ICAL.Component(ICAL.parse(ics));
  const events = calendar.getAllSubcomponents('vevent').map((component) => {
    const event = new ICAL.Event(component);
    return {
      uid: event.uid,
      summary: event.summary,
      start: event.startDate.toJSDate().toISOString(),
      end: event.endDate.toJSDate().toISOString(),
      sequence: event.sequence,
      status: (component.getFirstPropertyValue('status') as string | null) ?? null,
      alarms: component.getAllSubcomponents('valarm').map((a) => String(a.getFirstPropertyValue('trigger'))),
      allDay: event.startDate.isDate,
    };
  });
  return { name: String(calendar.getFirstPropertyValue('x-wr-calname')), events };
}

describe('calendar feed of a unit', () => {
  const state = runningPlan();
  const feed = parse(calendarFeed(UNIT, [state], { name: 'Bộ phận tuyên truyền', now: NOW }));
  const byUid = (uid: string) => feed.events.find((e) => e.uid === uid)!;

  it('has the congress days as an all-day event, every deadline and the next check-in', () => {
    expect(feed.name).toBe('Bộ phận tuyên truyền');
    const congress = byUid('congress.dh-tinh-xx@tminus');
    expect(congress).toMatchObject({ allDay: true, summary: 'Đại hội Đảng bộ tỉnh lần thứ XX, nhiệm kỳ 2020-2025' });
    expect(feed.events.filter((e) => e.uid.startsWith('task.'))).toHaveLength(7);
    const checkIns = feed.events.filter((e) => e.uid.startsWith('check-in.'));
    expect(checkIns.length).toBeGreaterThanOrEqual(1);
    expect(checkIns.every((e) => e.summary === 'Giao ban tiến độ — Bộ phận tuyên truyền')).toBe(true);
  });

  it('ends a deadline event at the deadline (17:00 local = 10:00 UTC) and sets reminders as alarms', () => {
    const tt04 = byUid('task.dh-tinh-xx.BPTT.TT-04@tminus');
    expect(tt04.summary).toBe('Hạn TT-04: Mở chuyên trang, chuyên mục về Đại hội');
    expect(tt04.end).toBe('2026-09-14T10:00:00.000Z');
    // Reminders 7d and 1d before the deadline; the event starts 30 minutes before it.
    expect(tt04.alarms).toEqual(['-P6DT23H30M', '-PT23H30M']);
  });

  it('marks done tasks without alarms', () => {
    const tt01 = byUid('task.dh-tinh-xx.BPTT.TT-01@tminus');
    expect(tt01.summary.startsWith('[Đã hoàn thành]')).toBe(true);
    expect(tt01.alarms).toEqual([]);
  });

  it('keeps UIDs and raises SEQUENCE of the changed event only, when the deadline changes', () => {
    const changed = runningPlan();
    applyCommand(
      changed,
      {
        type: 'changeDeadline',
        actor: COORDINATOR,
        taskId: 'TT-03',
        due: '2026-10-02T17:00:00+07:00',
        reason: 'lùi hạn',
      },
      NOW,
    );
    const after = parse(calendarFeed(UNIT, [changed], { name: 'x', now: NOW }));
    const uids = (f: typeof feed) => f.events.map((e) => e.uid).sort();
    expect(uids(after)).toEqual(uids(feed));
    const seq = (f: typeof feed, id: string) => f.events.find((e) => e.uid === `task.dh-tinh-xx.BPTT.${id}@tminus`)!;
    expect(seq(after, 'TT-03').sequence).toBeGreaterThan(seq(feed, 'TT-03').sequence);
    expect(seq(after, 'TT-03').end).toBe('2026-10-02T10:00:00.000Z');
    expect(seq(after, 'TT-04').sequence).toBe(seq(feed, 'TT-04').sequence);
    // The same state gives the same feed (deterministic).
    expect(calendarFeed(UNIT, [changed], { name: 'x', now: NOW })).toBe(
      calendarFeed(UNIT, [changed], { name: 'x', now: NOW }),
    );
  });

  it('never lowers SEQUENCE when old audit entries leave the state', () => {
    const archived = runningPlan();
    const before = parse(calendarFeed(UNIT, [archived], { name: 'x', now: NOW }));
    archived.audit = archived.audit.slice(-1);
    const after = parse(calendarFeed(UNIT, [archived], { name: 'x', now: NOW }));
    // Past check-ins are read from the audit log, so only deadlines and congress days are compared.
    for (const event of before.events.filter((e) => !e.uid.startsWith('check-in.'))) {
      expect(after.events.find((e) => e.uid === event.uid)!.sequence).toBeGreaterThanOrEqual(event.sequence);
    }
  });

  it('cancels a waived task’s event instead of dropping it', () => {
    const waived = runningPlan();
    applyCommand(waived, { type: 'waiveTask', actor: COORDINATOR, taskId: 'TT-05', reason: 'không cần' }, NOW);
    const event = parse(calendarFeed(UNIT, [waived], { name: 'x', now: NOW })).events.find(
      (e) => e.uid === 'task.dh-tinh-xx.BPTT.TT-05@tminus',
    )!;
    expect(event.status).toBe('CANCELLED');
  });
});

describe('calendar feeds of a person and of an agency', () => {
  const state = runningPlan();

  it('hold only the person’s tasks (plus the congress days)', () => {
    const feed = parse(
      calendarFeed({ kind: 'person', congressId: 'dh-tinh-xx', personId: 'ptthang' }, [state], { name: 'x', now: NOW }),
    );
    expect(feed.events.map((e) => e.uid)).toEqual(['congress.dh-tinh-xx@tminus', 'task.dh-tinh-xx.BPTT.TT-01@tminus']);
  });

  it('hold the tasks an agency leads or coordinates', () => {
    const feed = parse(
      calendarFeed({ kind: 'agency', congressId: 'dh-tinh-xx', agencyCode: 'DPTTH' }, [state], { name: 'x', now: NOW }),
    );
    expect(
      feed.events.filter((e) => e.uid.startsWith('task.')).map((e) => e.uid.split('.')[3].replace('@tminus', '')),
    ).toEqual(['TT-04', 'TT-06', 'TT-07']);
  });
});

describe('feed tokens', () => {
  const secret = 'a-feed-secret-of-some-length';
  const claims: FeedTokenClaims = { v: 1, id: newFeedId(), scope: UNIT, by: 'ptthang', iat: 1_790_000_000 };

  it('verify with the secret that signed them', () => {
    expect(verifyFeedToken(signFeedToken(claims, secret), secret)).toEqual(claims);
  });

  it('are refused when signed with another secret, altered or malformed', () => {
    const token = signFeedToken(claims, secret);
    expect(verifyFeedToken(token, 'another-secret-entirely')).toBeUndefined();
    const [payload, signature] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ ...claims, scope: { ...UNIT, unitCode: 'BPHC' } })).toString(
      'base64url',
    );
    expect(verifyFeedToken(`${forged}.${signature}`, secret)).toBeUndefined();
    expect(verifyFeedToken(payload, secret)).toBeUndefined();
    expect(verifyFeedToken('', secret)).toBeUndefined();
  });
});
