import { DAY_MS, instantAt, propagandaPlan, provincialCongress, type PlanState } from '../domain';
import { defaultSimulationStart, simulateCongress, type SimulationEvent } from '../domain/simulation';
import { describeSimulationEvent, localTimeText, simulationLines, spanText } from './simulation-text';

const TZ = 'Asia/Ho_Chi_Minh';
const congress = provincialCongress('dh-tinh-sim', '2027-03-15');
const plan = propagandaPlan();

function run(options: { lateDays?: number; scenarios?: Array<{ code: string; at: number }> } = {}) {
  const result = simulateCongress(congress, [plan], { start: defaultSimulationStart(congress, [plan]), ...options });
  return { result, lines: simulationLines(result, congress) };
}

describe('spanText', () => {
  it('says a span in days and hours, rounded to the hour, whatever its sign', () => {
    expect(spanText(0)).toBe('0 giờ');
    expect(spanText(5 * 3_600_000)).toBe('5 giờ');
    expect(spanText(3 * DAY_MS)).toBe('3 ngày');
    expect(spanText(-(2 * DAY_MS + 4 * 3_600_000))).toBe('2 ngày 4 giờ');
    expect(spanText(DAY_MS - 20 * 60_000)).toBe('1 ngày'); // 23h40 rounds to 24h
  });
});

describe('localTimeText', () => {
  it("writes an instant in the congress's zone, Asia/Ho_Chi_Minh by default", () => {
    const at = instantAt('2027-02-23', 17 * 60, TZ);
    expect(localTimeText(at, congress)).toBe('23/02/2027 17:00');
    expect(localTimeText(at, { timeZone: 'UTC' })).toBe('23/02/2027 10:00');
    expect(localTimeText(at, {})).toBe('23/02/2027 17:00');
  });
});

describe('describeSimulationEvent', () => {
  const states = new Map<string, PlanState>(run().result.states.map((s) => [s.definition.unitCode, s]));
  const at = instantAt('2027-03-01', 8 * 60, TZ);
  const say = (event: SimulationEvent) => describeSimulationEvent(event, states);

  it('says a completion on time or late by how much', () => {
    const done = { at, unitCode: 'BPTT', kind: 'completed', taskId: 'TT-01', title: 'Ban hành kế hoạch' } as const;
    expect(say({ ...done, lateMs: 0 })).toBe('Hoàn thành TT-01 Ban hành kế hoạch (đúng hạn)');
    expect(say({ ...done, lateMs: 3 * DAY_MS })).toBe('Hoàn thành TT-01 Ban hành kế hoạch (trễ 3 ngày)');
  });

  it('names the approvers, and a scenario by its name in the plan (its code when unknown)', () => {
    expect(say({ at, unitCode: 'BPTT', kind: 'approved', approvalId: 'A1', title: 'Kế hoạch', by: ['A', 'B'] })).toBe(
      'Đã cho ý kiến đồng ý: Kế hoạch (A, B)',
    );
    const scenario = plan.scenarios[0];
    expect(say({ at, unitCode: 'BPTT', kind: 'scenario-requested', scenario: scenario.code, by: 'Ngô Gia Tự' })).toBe(
      `Đề nghị kích hoạt phương án dự phòng "${scenario.name}" (Ngô Gia Tự)`,
    );
    expect(say({ at, unitCode: 'BPTT', kind: 'scenario-requested', scenario: 'flood', by: 'X' })).toBe(
      'Đề nghị kích hoạt phương án dự phòng "flood" (X)',
    );
  });

  it("says a notice by the engine's subject and its recipients, and the reports and the archive", () => {
    const notify = {
      kind: 'notify',
      subject: '[Nhắc việc] Ban hành kế hoạch',
      recipients: [{ id: 'a', name: 'Nguyễn Văn A' }],
    } as unknown as Extract<SimulationEvent, { kind: 'effect' }>['effect'];
    expect(say({ at, unitCode: 'BPTT', kind: 'effect', effect: notify })).toBe(
      '[Nhắc việc] Ban hành kế hoạch → gửi Nguyễn Văn A',
    );
    const report = (kind: string) =>
      ({ kind: 'report', report: kind }) as unknown as Extract<SimulationEvent, { kind: 'effect' }>['effect'];
    expect(say({ at, unitCode: 'BPTT', kind: 'effect', effect: report('closing') })).toBe(
      'Kết thúc kế hoạch: ghi báo cáo tổng kết',
    );
    expect(say({ at, unitCode: 'BPTT', kind: 'effect', effect: report('check-in') })).toBe(
      'Giao ban: ghi báo cáo tiến độ',
    );
  });
});

describe('simulationLines', () => {
  it('is one line per event, in order, in local time, ending with the closing report and the archive', () => {
    const { result, lines } = run();
    expect(lines).toHaveLength(result.events.length);
    lines.forEach((line, i) => {
      expect(line.at).toBe(result.events[i].at);
      expect(line.unitCode).toBe('BPTT');
      expect(line.kind).toBe(result.events[i].kind);
      expect(line.local).toBe(localTimeText(line.at, congress));
      expect(line.local).toMatch(/^\d\d\/\d\d\/\d{4} \d\d:\d\d$/);
    });
    expect([...lines.map((l) => l.at)].sort((a, b) => a - b)).toEqual(lines.map((l) => l.at));
    const texts = lines.map((l) => l.text);
    expect(texts.some((t) => t.startsWith('[Nhắc việc] ') && t.includes(' → gửi '))).toBe(true);
    expect(texts.some((t) => t.startsWith('Giao ban: '))).toBe(true);
    expect(texts.some((t) => t.startsWith('Đã cho ý kiến đồng ý: '))).toBe(true);
    expect(texts.filter((t) => t.startsWith('Hoàn thành ')).every((t) => t.endsWith('(đúng hạn)'))).toBe(true);
    expect(texts).toContain('Kết thúc kế hoạch: ghi báo cáo tổng kết');
    expect(texts.some((t) => t.startsWith('[Quá hạn]'))).toBe(false);
  });

  it('with every task three days late: overdue notices, the unit lead told (at two days), completions three days late', () => {
    const texts = run({ lateDays: 3 }).lines.map((l) => l.text);
    expect(texts.some((t) => t.startsWith('[Quá hạn] '))).toBe(true);
    expect(texts.some((t) => t.startsWith('[Báo cáo vượt cấp 2] '))).toBe(true);
    expect(texts.some((t) => t.startsWith('[Báo cáo vượt cấp 3] '))).toBe(false);
    const done = texts.filter((t) => t.startsWith('Hoàn thành '));
    expect(done.length).toBeGreaterThan(0);
    expect(done.some((t) => t.endsWith('(trễ 3 ngày)'))).toBe(true);
  });

  it('a scenario requested: the request at its moment, by the unit lead, with its name', () => {
    const at = instantAt('2027-03-01', 8 * 60, TZ);
    const scenario = plan.scenarios[0];
    const { lines } = run({ scenarios: [{ code: scenario.code, at }] });
    const request = lines.find((l) => l.kind === 'scenario-requested');
    expect(request).toMatchObject({ local: '01/03/2027 08:00', unitCode: 'BPTT' });
    expect(request!.text).toContain(`"${scenario.name}"`);
  });
});
