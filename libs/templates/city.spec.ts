import { readFileSync } from 'node:fs';
import path from 'node:path';
import { admitCongress } from '../domain';
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

const VENUE_DECISION = 'TGV-TH:TH-05';

describe('the city congress template (seed 003)', () => {
  const city = shippedTemplate('city');
  const { planOf, taskOf } = lookups(city);

  it('reads cleanly from its file as a city-level template with its subcommittee', () => {
    const reading = readTemplate(readFileSync(path.join(templatesDir(), 'city.yaml'), 'utf8'), 'city.yaml');
    expect(reading.issues).toEqual([]);
    expect(city.level).toBe('city');
    expect(city.sources).toContain('seed 003');
    expect(city.congress.number).toBe('XIX');
    expect(city.congress.days).toBe(3);
    const people = city.congress.people;
    expect(people.head.title).toMatch(/Phó Bí thư Thường trực Thành ủy.*Trưởng Tiểu ban/);
    expect(people.deputyHeads.length).toBeGreaterThanOrEqual(2);
    expect(people.standingSection.length).toBeGreaterThanOrEqual(1);
    expect(people.standingCommittee.length).toBeGreaterThanOrEqual(3);
    const ids = [people.head, ...people.deputyHeads, ...people.standingSection, ...people.standingCommittee].map(
      (p) => p.id,
    );
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('has the lighting, environmental sanitation and transport units the members proposed', () => {
    expect(planOf('TGV-CS').unitName.toLowerCase()).toContain('chiếu sáng');
    expect(planOf('TGV-VS').unitName.toLowerCase()).toContain('vệ sinh môi trường');
    expect(planOf('TGV-GT').unitName.toLowerCase()).toContain('giao thông vận tải');
    expect(city.plans.map((p) => p.unitCode)).toEqual(
      expect.arrayContaining(['TGV-TH', 'TGV-VK', 'TGV-TT', 'TGV-HC', 'TGV-AN', 'TGV-YT', 'TGV-TC']),
    );
  });

  it('gives every unit 6 to 15 tasks before, during and after the congress, titled in Vietnamese', () => {
    for (const plan of city.plans) {
      const count = plan.tasks.length;
      expect({ unit: plan.unitCode, sixToFifteen: count >= 6 && count <= 15 }).toEqual({
        unit: plan.unitCode,
        sixToFifteen: true,
      });
      expect(new Set(plan.tasks.map((t) => t.phase))).toEqual(new Set(['before', 'during', 'after']));
      for (const t of plan.tasks.filter((t) => t.phase === 'during')) expect(t.due).toMatch(/^T\+\d+d@\d{2}:\d{2}$/);
      for (const t of plan.tasks.filter((t) => t.phase === 'after')) expect(t.due).toMatch(/^E\+\d+d$/);
      expect(textsPeopleRead(city, plan).filter((text) => !VIETNAMESE_LETTER.test(text))).toEqual([]);
    }
    const budgets = everyTask(city).flatMap((e) => (e.task.budgetVnd === undefined ? [] : [e.task.budgetVnd]));
    expect(budgets.length).toBeGreaterThan(20);
    expect(budgets.every((b) => Number.isInteger(b) && b > 0 && b % 1_000_000 === 0)).toBe(true);
  });

  it('checks in monthly, quarterly and yearly, as the session asked', () => {
    expect(new Set(city.plans.map((p) => p.checkInCadence))).toEqual(new Set(['monthly', 'quarterly', 'yearly']));
    expect(planOf('TGV-TH').checkInCadence).toBe('monthly');
    expect(planOf('TGV-TC').checkInCadence).toBe('yearly');
    expect(city.plans.filter((p) => p.checkInCadence === 'quarterly').length).toBeGreaterThan(city.plans.length / 2);
  });

  it("puts the venue to the Standing Committee, and the venue's preparation waits on that decision", () => {
    const decision = taskOf(VENUE_DECISION);
    expect(decision.requiresApproval).toBe(true);
    expect(decision.title).toMatch(/Ban Thường vụ Thành ủy.*địa điểm/);
    expect(decision.responsible).toBe(city.congress.people.head.id);
    const waiting = ['TGV-HC:HC-02', 'TGV-AN:AN-02', 'TGV-CS:CS-02', 'TGV-CS:CS-05', 'TGV-VS:VS-03', 'TGV-GT:GT-01'];
    for (const ref of waiting)
      expect({ ref, dependsOn: taskOf(ref).dependsOn }).toEqual({
        ref,
        dependsOn: expect.arrayContaining([VENUE_DECISION]),
      });
    // The hall, the security survey, the lighting and the sanitation: one task of each kind, in its own unit.
    expect(taskOf('TGV-HC:HC-02').title).toMatch(/hội trường/);
    expect(taskOf('TGV-AN:AN-02').title).toMatch(/Khảo sát an ninh/);
    expect(taskOf('TGV-CS:CS-02').title).toMatch(/chiếu sáng/);
    expect(taskOf('TGV-VS:VS-03').title).toMatch(/vệ sinh/);
  });

  it('names only real tasks across units, never due before their prerequisites (cycles: the domain refuses them)', () => {
    const { edges, issues } = crossUnitDependencies(city, '2030-11-20');
    expect(issues).toEqual([]);
    expect(edges.length).toBeGreaterThanOrEqual(15);
  });

  it('has epidemic, venue-unavailable and security-incident scenarios that suspend the right tasks', () => {
    const withScenario = (code: string) =>
      city.plans.filter((p) => p.scenarios.some((s) => s.code === code)).map((p) => p.unitCode);
    expect(withScenario('epidemic').length).toBeGreaterThanOrEqual(3);
    expect(withScenario('venue-unavailable')).toEqual(
      expect.arrayContaining(['TGV-TH', 'TGV-HC', 'TGV-AN', 'TGV-CS', 'TGV-VS', 'TGV-GT']),
    );
    expect(withScenario('security-incident')).toContain('TGV-AN');
    const scenario = (unit: string, code: string) => planOf(unit).scenarios.find((s) => s.code === code)!;

    // Losing the venue stops the work at the old venue; a new venue goes to the Standing Committee first.
    expect(scenario('TGV-HC', 'venue-unavailable').suspends).toEqual(expect.arrayContaining(['HC-02']));
    expect(scenario('TGV-AN', 'venue-unavailable').suspends).toEqual(expect.arrayContaining(['AN-02']));
    expect(scenario('TGV-CS', 'venue-unavailable').suspends).toEqual(expect.arrayContaining(['CS-02']));
    expect(scenario('TGV-VS', 'venue-unavailable').suspends).toEqual(expect.arrayContaining(['VS-03']));
    const newVenue = scenario('TGV-TH', 'venue-unavailable').tasks.find((t) => t.id === 'THV-01')!;
    expect(newVenue.requiresApproval).toBe(true);
    for (const unit of ['TGV-HC', 'TGV-AN', 'TGV-CS', 'TGV-VS', 'TGV-GT']) {
      expect(scenario(unit, 'venue-unavailable').tasks.some((t) => t.dependsOn?.includes('TGV-TH:THV-01'))).toBe(true);
    }
    // A security incident is handled at once (no prior approval), within hours.
    const incident = scenario('TGV-AN', 'security-incident');
    expect(incident.requiresApproval).toBe(false);
    expect(incident.suspends.length).toBeGreaterThan(0);
    expect(incident.tasks.every((t) => /^A\+\d+h$/.test(t.due))).toBe(true);
    // The epidemic suspends gatherings somewhere (the exhibition, the shared meals) and adds screening.
    expect(scenario('TGV-TT', 'epidemic').suspends).toContain('TT-07');
    expect(scenario('TGV-HC', 'epidemic').suspends).toContain('HC-08');
    expect(scenario('TGV-YT', 'epidemic').tasks.some((t) => /Xét nghiệm/.test(t.title))).toBe(true);
    // Every contingency task counts from the scenario's activation.
    for (const plan of city.plans) {
      for (const s of plan.scenarios) {
        expect(s.tasks.length).toBeGreaterThan(0);
        for (const t of s.tasks) expect(t.due).toMatch(/^A\+/);
      }
    }
  });

  it("takes the congress's name from the pattern: number and term, never a past congress's", () => {
    expect(city.congress.name).toBe('Đại hội đại biểu Đảng bộ thành phố lần thứ {number}, nhiệm kỳ {term}');
    const made = instantiateTemplate(city, { id: 'dh-tp-xx', startDate: '2030-11-20', number: 'XX' });
    expect(made.issues).toEqual([]);
    expect(made.congress.name).toBe('Đại hội đại biểu Đảng bộ thành phố lần thứ XX, nhiệm kỳ 2030-2035');
    expect(made.congress.level).toBe('city');
    expect(made.congress.endDate).toBe('2030-11-22');
    const byDefault = instantiateTemplate(city, { id: 'dh-tp-xix', startDate: '2035-10-08' });
    expect(byDefault.congress.name).toBe('Đại hội đại biểu Đảng bộ thành phố lần thứ XIX, nhiệm kỳ 2035-2040');
  });

  it('admits the whole congress, all ten plans, through the domain', () => {
    const { congress, plans } = instantiateTemplate(city, { id: 'dh-tp-xx', startDate: '2030-11-20', number: 'XX' });
    expect(plans).toHaveLength(10);
    const admitted = admitCongress(congress, plans, Date.parse('2029-12-01T00:00:00Z'));
    expect(admitted.timeZone).toBe('Asia/Ho_Chi_Minh');
    expect(admitted.name).toBe('Đại hội đại biểu Đảng bộ thành phố lần thứ XX, nhiệm kỳ 2030-2035');
    // The same congress, asked for after its day, is refused: admission really checked the dates.
    expect(() => admitCongress(congress, plans, Date.parse('2031-01-01T00:00:00Z'))).toThrow();
  });
});
