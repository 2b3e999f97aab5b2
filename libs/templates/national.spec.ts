import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  admitCongress,
  afterRef,
  buildScheduleContext,
  congressPeople,
  phaseAt,
  planClosesAt,
  resolveDueText,
  taskDependencies,
} from '../domain';
import { instantiateTemplate, readTemplate } from './congress-template';
import { templatesDir } from './template-files';
import {
  VIETNAMESE_LETTER,
  crossUnitDependencies,
  everyTask,
  lookups,
  shippedTemplate,
  textsPeopleRead,
} from '../../test/template-checks';

/** The twelve units of the service subcommittee (seeds 000 and 002), with a word of each unit's name. */
const UNITS: Record<string, RegExp> = {
  'CT-ND': /Chương trình, nội dung/,
  'TT-TT': /Thông tin, tuyên truyền/,
  'DN-KQT': /Đối ngoại, khách quốc tế/,
  'AN-AT': /an ninh, an toàn/,
  YT: /Y tế/,
  'LT-KT': /Lễ tân, khánh tiết, lưu trú/,
  VC: /Phương tiện/,
  'TC-TS': /Tài chính, tài sản/,
  CNTT: /Công nghệ thông tin, chuyển đổi số/,
  TTBC: /Trung tâm Báo chí/,
  LYK: /Lấy ý kiến nhân dân vào dự thảo văn kiện/,
  TTDT: /Trang thông tin điện tử/,
};

/** A sample congress: six days in January 2031. */
const START = '2031-01-20';

describe('the national congress template (seeds 000-002)', () => {
  const national = shippedTemplate('national');
  const { planOf, taskOf } = lookups(national);
  const scenarioOf = (unitCode: string, code: string) => {
    const scenario = planOf(unitCode).scenarios.find((s) => s.code === code);
    if (!scenario) throw new Error(`no scenario ${code} in ${unitCode}`);
    return scenario;
  };
  /** The refs (`UNIT:taskId`) of the plan tasks that wait on `ref`, by dependsOn or by an `after:` deadline. */
  const waitingOn = (ref: string): string[] =>
    everyTask(national)
      .filter((e) => !e.scenario)
      .filter((e) =>
        taskDependencies(e.task).some(
          (dep) => dep === ref || (ref.startsWith(`${e.unit}:`) && `${e.unit}:${dep}` === ref),
        ),
      )
      .map((e) => `${e.unit}:${e.task.id}`);

  it('reads cleanly from its file as a national template with its subcommittee', () => {
    const reading = readTemplate(readFileSync(path.join(templatesDir(), 'national.yaml'), 'utf8'), 'national.yaml');
    expect(reading.issues).toEqual([]);
    expect(national.level).toBe('national');
    expect(national.sources).toEqual(['seed 000', 'seed 001', 'seed 002']);
    expect(national.congress.days).toBe(6);
    expect(national.congress.timeZone).toBe('Asia/Ho_Chi_Minh');
    const people = national.congress.people;
    expect(people.head.title).toMatch(/Thường trực Ban Bí thư.*Trưởng Tiểu ban/);
    expect(people.deputyHeads.length).toBeGreaterThanOrEqual(2);
    expect(people.standingSection.length).toBeGreaterThanOrEqual(1);
    expect(people.standingCommittee.length).toBeGreaterThanOrEqual(3);
    const ids = [people.head, ...people.deputyHeads, ...people.standingSection, ...people.standingCommittee].map(
      (p) => p.id,
    );
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('has the twelve units, each a plan with its own document and lead', () => {
    expect(national.plans.map((p) => p.unitCode).sort()).toEqual(Object.keys(UNITS).sort());
    for (const [code, name] of Object.entries(UNITS)) {
      const plan = planOf(code);
      expect({ code, name: plan.unitName }).toEqual({ code, name: expect.stringMatching(name) });
      expect(plan.documentNumber).toMatch(/^\d{2}-KH\/TBPV/);
    }
    expect(new Set(national.plans.map((p) => p.documentNumber)).size).toBe(12);
    // The central agencies the seeds name, each in some plan.
    const agencyNames = new Set(national.plans.flatMap((p) => p.agencies.map((a) => a.name)));
    for (const name of [
      'Văn phòng Trung ương Đảng',
      'Ban Tuyên giáo và Dân vận Trung ương',
      'Ban Đối ngoại Trung ương',
      'Bộ Công an',
      'Bộ Quốc phòng',
      'Bộ Y tế',
      'Bộ Tài chính',
      'Bộ Ngoại giao',
      'Bộ Văn hóa, Thể thao và Du lịch',
      'Thông tấn xã Việt Nam',
      'Đài Truyền hình Việt Nam',
      'Đài Tiếng nói Việt Nam',
      'Báo Nhân Dân',
      'Tạp chí Cộng sản',
      'Thành ủy Hà Nội',
      'Ủy ban nhân dân thành phố Hà Nội',
      'Trung tâm Hội nghị quốc gia',
    ]) {
      expect({ name, present: agencyNames.has(name) }).toEqual({ name, present: true });
    }
  });

  it('breaks the mandates into more than 100 tasks before, during and after, titled in Vietnamese', () => {
    const planTasks = national.plans.flatMap((p) => p.tasks);
    expect(planTasks.length).toBeGreaterThan(100);
    for (const plan of national.plans) {
      expect({ unit: plan.unitCode, enough: plan.tasks.length >= 8 }).toEqual({ unit: plan.unitCode, enough: true });
      expect(new Set(plan.tasks.map((t) => t.phase))).toEqual(new Set(['before', 'during', 'after']));
      expect(textsPeopleRead(national, plan).filter((text) => !VIETNAMESE_LETTER.test(text))).toEqual([]);
    }
    const budgets = everyTask(national).flatMap((e) => (e.task.budgetVnd === undefined ? [] : [e.task.budgetVnd]));
    expect(budgets.length).toBeGreaterThan(20);
    expect(budgets.every((b) => Number.isInteger(b) && b > 0 && b % 1_000_000 === 0)).toBe(true);
    // Major matters go to the Secretariat early (seed 000's first lesson): in every unit, at least one approval.
    for (const plan of national.plans) {
      expect({ unit: plan.unitCode, approval: plan.tasks.some((t) => t.requiresApproval) }).toEqual({
        unit: plan.unitCode,
        approval: true,
      });
    }
  });

  it('counts every deadline from congress day, in its phase, from T-180d to E+30d, before its plan closes', () => {
    const { congress, plans } = instantiateTemplate(national, { id: 'dh-toan-quoc-xv', startDate: START });
    const ctx = buildScheduleContext(
      { startDate: congress.startDate, endDate: congress.endDate, timeZone: congress.timeZone! },
      undefined,
    );
    let resolved = 0;
    for (const plan of plans) {
      const closes = planClosesAt(congress, plan.closeAfter);
      for (const task of plan.tasks) {
        const at = resolveDueText(task.due, ctx);
        if (at === undefined) {
          // Only a deadline counted from another task's completion waits.
          expect(afterRef(task.due)).toBeDefined();
          continue;
        }
        resolved += 1;
        expect({ task: `${plan.unitCode}:${task.id}`, phase: phaseAt(at, ctx) }).toEqual({
          task: `${plan.unitCode}:${task.id}`,
          phase: task.phase,
        });
        expect(at).toBeLessThan(closes);
      }
    }
    expect(resolved).toBeGreaterThan(100);
    const dues = national.plans.flatMap((p) => p.tasks.map((t) => t.due));
    expect(dues).toContain('T-180d');
    expect(dues).toContain('E+30d');
    expect(dues.filter((d) => /^T\+\d+d@\d{2}:\d{2}$/.test(d)).length).toBeGreaterThanOrEqual(12);
  });

  it('names only real tasks across units, never due before their prerequisites (cycles: the domain refuses them)', () => {
    const { edges, issues } = crossUnitDependencies(national, START);
    expect(issues).toEqual([]);
    expect(edges.length).toBeGreaterThanOrEqual(25);
    expect(new Set(edges.map((e) => e.split(' → ')[1].split(':')[0])).size).toBeGreaterThanOrEqual(8);
  });

  it("models the other subcommittees' hand-overs as programme tasks that printing, consultation and press wait on", () => {
    expect(taskOf('CT-ND:CT-03').title).toMatch(/^Tiếp nhận dự thảo văn kiện.*từ Tiểu ban Văn kiện/);
    expect(taskOf('CT-ND:CT-07').title).toMatch(/^Tiếp nhận .*văn kiện.*từ Tiểu ban Văn kiện/);
    expect(taskOf('CT-ND:CT-08').title).toMatch(/^Tiếp nhận từ Tiểu ban Nhân sự/);
    expect(taskOf('CT-ND:CT-04').title).toMatch(/Tiểu ban Điều lệ/);
    const agencies = new Map(planOf('CT-ND').agencies.map((a) => [a.code, a.name]));
    expect(taskOf('CT-ND:CT-03').coordinatingAgencies?.map((c) => agencies.get(c))).toEqual([
      'Tiểu ban Văn kiện Đại hội',
    ]);
    expect(taskOf('CT-ND:CT-08').coordinatingAgencies?.map((c) => agencies.get(c))).toContain(
      'Tiểu ban Nhân sự Đại hội',
    );
    // The published drafts: consultation, propaganda, translation, the press kit and the website.
    expect(waitingOn('CT-ND:CT-03')).toEqual(
      expect.arrayContaining(['CT-ND:CT-07', 'TT-TT:TT-02', 'DN-KQT:DN-04', 'TTBC:BC-05', 'LYK:YK-02', 'TTDT:WB-05']),
    );
    // Publication counts from the hand-over itself.
    expect(taskOf('LYK:YK-02').due).toBe('after:CT-ND:CT-03+5d');
    // The final documents: printing, their protection and the delegates' tablets.
    expect(waitingOn('CT-ND:CT-07')).toEqual(expect.arrayContaining(['CT-ND:CT-09', 'AN-AT:AN-04', 'CNTT:IT-07']));
    expect(taskOf('CT-ND:CT-09').title).toMatch(/^In ấn/);
    // The personnel hand-over: ballots, the election and the count.
    expect(waitingOn('CT-ND:CT-08')).toEqual(expect.arrayContaining(['CT-ND:CT-09', 'CT-ND:CT-13', 'CNTT:IT-11']));
    // The delegate list: seating and travel.
    expect(waitingOn('CT-ND:CT-06')).toEqual(expect.arrayContaining(['LT-KT:LT-04', 'VC:VC-03']));
  });

  it('has security-incident and food-safety scenarios that act within hours and suspend the right tasks', () => {
    const incident = scenarioOf('AN-AT', 'security-incident');
    expect(incident.requiresApproval).toBe(false);
    expect(incident.suspends).toEqual(['AN-10', 'AN-11']);
    expect(taskOf('AN-AT:AN-10').title).toMatch(/mít tinh, văn hóa, nghệ thuật chào mừng/);
    expect(incident.tasks.length).toBeGreaterThanOrEqual(4);
    expect(incident.tasks.every((t) => /^A\+\d+h$/.test(t.due))).toBe(true);
    expect(incident.tasks.some((t) => /Báo cáo Trưởng Tiểu ban/.test(t.title))).toBe(true);

    const food = scenarioOf('YT', 'food-safety');
    expect(food.requiresApproval).toBe(false);
    expect(food.suspends).toEqual(['YT-08']);
    expect(taskOf('YT:YT-08').title).toMatch(/nguồn thực phẩm/);
    expect(food.tasks.every((t) => /^A\+\d+h$/.test(t.due))).toBe(true);
    expect(food.tasks.map((t) => t.title).join(' ')).toMatch(/Niêm phong mẫu lưu/);
    // The reception unit's half: the meals move to the backup kitchen once the samples are sealed.
    const meals = scenarioOf('LT-KT', 'food-safety');
    expect(meals.suspends).toEqual(['LT-11']);
    expect(taskOf('LT-KT:LT-11').title).toMatch(/ăn uống/);
    expect(meals.tasks.find((t) => t.id === 'LTF-01')?.dependsOn).toEqual(['YT:YTF-02']);

    // An epidemic changes the programme, the guests, the press and the medical work.
    const withEpidemic = national.plans.filter((p) => p.scenarios.some((s) => s.code === 'epidemic'));
    expect(withEpidemic.map((p) => p.unitCode)).toEqual(
      expect.arrayContaining(['CT-ND', 'YT', 'DN-KQT', 'TTBC', 'TT-TT']),
    );
    expect(scenarioOf('YT', 'epidemic').tasks.some((t) => /Xét nghiệm sàng lọc/.test(t.title))).toBe(true);
    expect(scenarioOf('TTBC', 'epidemic').suspends).toEqual(expect.arrayContaining(['BC-08', 'BC-10']));
    for (const plan of national.plans) {
      for (const s of plan.scenarios) {
        expect(s.tasks.length).toBeGreaterThan(0);
        expect(s.suspends.length).toBeGreaterThan(0);
        for (const t of s.tasks) expect(t.due).toMatch(/^A\+/);
      }
    }
  });

  it('checks in monthly, and weekly in the last four weeks for reception, security and medical care', () => {
    expect(national.plans.every((p) => p.checkInCadence === 'monthly')).toBe(true);
    const weekly = national.plans.filter((p) => p.weeklyCheckInsBefore !== undefined);
    expect(weekly.map((p) => p.unitCode).sort()).toEqual(['AN-AT', 'LT-KT', 'YT']);
    expect(weekly.every((p) => p.weeklyCheckInsBefore === '28d')).toBe(true);
  });

  it('knows every person a plan names: leads, responsible officers and agency heads', () => {
    const { congress } = instantiateTemplate(national, { id: 'dh-toan-quoc-xv', startDate: START });
    const subcommittee = new Set(congressPeople(congress).map((p) => p.id));
    for (const plan of national.plans) {
      const known = new Set([...subcommittee, ...(plan.people ?? []).map((p) => p.id)]);
      const named = [
        plan.unitLead,
        ...plan.agencies.flatMap((a) => (a.head ? [a.head] : [])),
        ...everyTask(national)
          .filter((e) => e.unit === plan.unitCode)
          .flatMap((e) => (e.task.responsible ? [e.task.responsible] : [])),
      ];
      expect(named.filter((id) => !known.has(id))).toEqual([]);
    }
  });

  it("takes the congress's name from the pattern: number and term, never a past congress's", () => {
    expect(national.congress.name).toBe('Đại hội đại biểu toàn quốc lần thứ {number} của Đảng (nhiệm kỳ {term})');
    const made = instantiateTemplate(national, { id: 'dh-toan-quoc-xv', startDate: START, number: 'XV' });
    expect(made.issues).toEqual([]);
    expect(made.congress.name).toBe('Đại hội đại biểu toàn quốc lần thứ XV của Đảng (nhiệm kỳ 2031-2036)');
    expect(made.congress.level).toBe('national');
    expect(made.congress.endDate).toBe('2031-01-25');
    const later = instantiateTemplate(national, { id: 'dh-toan-quoc-xvi', startDate: '2036-01-15', number: 'XVI' });
    expect(later.congress.name).toBe('Đại hội đại biểu toàn quốc lần thứ XVI của Đảng (nhiệm kỳ 2036-2041)');
  });

  it('admits the whole congress, all twelve plans, through the domain', () => {
    const { congress, plans } = instantiateTemplate(national, {
      id: 'dh-toan-quoc-xv',
      startDate: START,
      number: 'XV',
    });
    expect(plans).toHaveLength(12);
    const admitted = admitCongress(congress, plans, Date.parse('2030-06-01T00:00:00Z'));
    expect(admitted.timeZone).toBe('Asia/Ho_Chi_Minh');
    expect(admitted.name).toBe('Đại hội đại biểu toàn quốc lần thứ XV của Đảng (nhiệm kỳ 2031-2036)');
    // The same congress, asked for after its day, is refused: admission really checked the dates.
    expect(() => admitCongress(congress, plans, Date.parse('2031-02-01T00:00:00Z'))).toThrow();
  });
});
