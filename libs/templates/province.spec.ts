import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  addCalendarDays,
  admitCongress,
  buildScheduleContext,
  congressPeople,
  instantAt,
  isExternalRef,
  logisticsPlan,
  phaseAt,
  planClosesAt,
  propagandaPlan,
  provincialCongress,
  resolveDueText,
  securityPlan,
  taskDependencies,
  type TaskDefinition,
  type UnitPlanDefinition,
} from '../domain';
import { instantiateTemplate, readTemplate } from './congress-template';
import { crossUnitDependencies, shippedTemplate } from '../../test/template-checks';
import { templatesDir } from './template-files';

/** Catalogue groups are named "Nhóm <n>. …": the Party office's numbering of its task groups. */
const CATALOGUE_GROUP = /^Nhóm (\d+)\. \S/;
const START = '2031-10-14';
const NOW = Date.parse('2031-06-01T00:00:00+07:00');

const template = shippedTemplate('province');
const made = instantiateTemplate(template, { id: 'dh-tinh-mau', startDate: START });
const plans = made.plans;
const plan = (unit: string) => plans.find((p) => p.unitCode === unit) as UnitPlanDefinition;
const fixtures = [propagandaPlan(), logisticsPlan(), securityPlan()];

/**
 * Every plan task's deadline for the sample congress, by `UNIT:taskId`. An `after:` deadline counts from its
 * prerequisite completed on its own deadline (another unit's included), resolved until nothing changes.
 */
function deadlines(): Map<string, number | undefined> {
  const known = new Map<string, number>();
  const congress = made.congress;
  for (let round = 0; round < 10; round++) {
    const before = known.size;
    for (const p of plans) {
      const ref = (r: string) => (isExternalRef(r) ? r : `${p.unitCode}:${r}`);
      const ctx = buildScheduleContext(
        { startDate: congress.startDate, endDate: congress.endDate, timeZone: congress.timeZone! },
        p.calendar,
        (r) => known.get(ref(r)),
      );
      for (const task of p.tasks) {
        const at = resolveDueText(task.due, ctx);
        if (at !== undefined) known.set(ref(task.id), at);
      }
    }
    if (known.size === before) break;
  }
  return new Map(
    plans.flatMap((p) => p.tasks.map((t) => [`${p.unitCode}:${t.id}`, known.get(`${p.unitCode}:${t.id}`)])),
  );
}

describe('the provincial template (seed 004)', () => {
  it('is the file as shipped, read the same way directly', () => {
    const direct = readTemplate(readFileSync(path.join(templatesDir(), 'province.yaml'), 'utf8'), 'province.yaml');
    expect(direct.issues).toEqual([]);
    expect(direct.template).toEqual(template);
    expect(template.level).toBe('province');
    expect(template.congress.name).toBe('Đại hội đại biểu Đảng bộ tỉnh lần thứ {number}, nhiệm kỳ {term}');
    expect(made.congress.name).toBe(
      `Đại hội đại biểu Đảng bộ tỉnh lần thứ ${template.congress.number}, nhiệm kỳ 2031-2036`,
    );
    expect(made.issues).toEqual([]);
  });

  it("holds the Party office's catalogue: 54 work items in 8 numbered groups over the units' plans", () => {
    const groupNames = new Map<string, string>();
    const perGroup = new Map<string, number>();
    for (const p of plans) {
      const catalogue = new Set<string>();
      for (const group of p.groups) {
        if (!CATALOGUE_GROUP.test(group.name)) continue;
        catalogue.add(group.id);
        // One group, one name in every plan: the catalogue's group, not a unit's own.
        expect(groupNames.get(group.id) ?? group.name).toBe(group.name);
        groupNames.set(group.id, group.name);
      }
      for (const task of p.tasks) {
        expect({ task: `${p.unitCode}:${task.id}`, catalogue: catalogue.has(task.group) }).toEqual({
          task: `${p.unitCode}:${task.id}`,
          catalogue: true,
        });
        perGroup.set(task.group, (perGroup.get(task.group) ?? 0) + 1);
      }
      // Contingency tasks stand outside the catalogue.
      for (const task of p.scenarios.flatMap((s) => s.tasks)) expect(catalogue.has(task.group)).toBe(false);
    }
    const numbers = [...groupNames.values()].map((name) => Number(CATALOGUE_GROUP.exec(name)![1]));
    expect(numbers.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect([...perGroup.keys()].sort()).toEqual([...groupNames.keys()].sort());
    expect([...perGroup.values()].every((n) => n >= 1)).toBe(true);
    expect([...perGroup.values()].reduce((a, b) => a + b, 0)).toBe(54);
    expect(plans.flatMap((p) => p.tasks)).toHaveLength(54);
  });

  it("names each unit's own documents from the seed", () => {
    expect(plans.map((p) => [p.unitCode, p.unitName, p.documentNumber])).toEqual([
      ['BPTT', 'Bộ phận tuyên truyền', '03-KH/TB-BPTT'],
      ['BPHC', 'Bộ phận hậu cần, phục vụ', '02-KH/TB'],
      ['BPANTT', 'Bộ phận bảo đảm an ninh, trật tự và an toàn', '39/KH-BPĐBANTT'],
    ]);
    const deliverables = (unit: string) => plan(unit).tasks.map((t) => t.deliverable ?? '');
    expect(deliverables('BPTT').some((d) => d.includes('03-KH/TB-BPTT'))).toBe(true);
    expect(deliverables('BPHC').some((d) => d.includes('01-TB/BPHC'))).toBe(true);
    expect(deliverables('BPHC').some((d) => d.includes('02-KH/TB'))).toBe(true);
    expect(deliverables('BPANTT').some((d) => d.includes('39/KH-BPĐBANTT'))).toBe(true);
  });

  it('keeps every task, scenario and person of the original plans as they were', () => {
    for (const fixture of fixtures) {
      const shipped = plan(fixture.unitCode);
      expect(shipped.unitLead).toBe(fixture.unitLead);
      expect(shipped.approvalPolicy.planRequiresApproval).toBe(fixture.approvalPolicy.planRequiresApproval);
      const pick = (t: TaskDefinition) => ({
        id: t.id,
        due: t.due,
        leadAgency: t.leadAgency,
        dependsOn: t.dependsOn ?? [],
        requiresApproval: t.requiresApproval ?? false,
        phase: t.phase,
      });
      for (const task of fixture.tasks) {
        const kept = shipped.tasks.find((t) => t.id === task.id);
        expect(kept && pick(kept)).toEqual(pick(task));
      }
      for (const scenario of fixture.scenarios) {
        const kept = shipped.scenarios.find((s) => s.code === scenario.code)!;
        expect(kept.name).toBe(scenario.name);
        expect(kept.suspends).toEqual(expect.arrayContaining(scenario.suspends));
        expect(kept.requiresApproval ?? true).toBe(scenario.requiresApproval ?? true);
        for (const task of scenario.tasks) {
          const added = kept.tasks.find((t) => t.id === task.id);
          expect(added && pick(added)).toEqual(pick(task));
        }
      }
    }
    const roles = (people: typeof made.congress.people) => ({
      head: people.head.id,
      deputyHeads: people.deputyHeads.map((p) => p.id),
      standingSection: people.standingSection.map((p) => p.id),
      standingCommittee: people.standingCommittee.map((p) => p.id),
    });
    expect(roles(made.congress.people)).toEqual(roles(provincialCongress().people));
  });

  it('suspends the mass gatherings and adds health and online tasks in the epidemic scenario of every unit', () => {
    for (const p of plans) {
      const epidemic = p.scenarios.find((s) => s.code === 'epidemic');
      expect(epidemic).toBeDefined();
      expect(epidemic!.requiresApproval).toBe(true);
      expect(epidemic!.suspends.length).toBeGreaterThanOrEqual(1);
      expect(epidemic!.tasks.length).toBeGreaterThanOrEqual(2);
      for (const id of epidemic!.suspends) {
        const suspended = p.tasks.find((t) => t.id === id)!;
        expect(suspended.phase).not.toBe('after');
      }
      // Added tasks count from the activation, and the plan keeps running beside them (never all suspended).
      for (const task of epidemic!.tasks) expect(task.due).toMatch(/^A\+/);
      expect(epidemic!.suspends.length).toBeLessThan(p.tasks.length / 2);
    }
    const suspended = plans.flatMap((p) => p.scenarios.find((s) => s.code === 'epidemic')!.suspends);
    const titles = plans.flatMap((p) => p.tasks.filter((t) => suspended.includes(t.id)).map((t) => t.title));
    expect(titles.some((t) => /chương trình nghệ thuật|triển lãm/i.test(t))).toBe(true);
    const added = plans.flatMap((p) => p.scenarios.find((s) => s.code === 'epidemic')!.tasks.map((t) => t.title));
    expect(added.some((t) => /trực tuyến/.test(t))).toBe(true);
    expect(added.some((t) => /y tế|xét nghiệm/.test(t))).toBe(true);
    expect(plan('BPHC').scenarios.map((s) => s.code)).toContain('food-safety');
    expect(plan('BPANTT').scenarios.find((s) => s.code === 'security-incident')!.suspends).toContain('AN-03');
  });

  it('gives every task a lead agency, coordinating agencies and people that exist in its plan', () => {
    const everyone = new Set(congressPeople(made.congress).map((p) => p.id));
    for (const p of plans) {
      const agencies = new Set(p.agencies.map((a) => a.code));
      const people = new Set([...everyone, ...(p.people ?? []).map((person) => person.id)]);
      expect(people.has(p.unitLead)).toBe(true);
      for (const agency of p.agencies) if (agency.head) expect(people.has(agency.head)).toBe(true);
      for (const task of [...p.tasks, ...p.scenarios.flatMap((s) => s.tasks)]) {
        expect(agencies.has(task.leadAgency)).toBe(true);
        for (const code of task.coordinatingAgencies ?? []) expect(agencies.has(code)).toBe(true);
        if (task.responsible) expect(people.has(task.responsible)).toBe(true);
        if (task.budgetVnd !== undefined)
          expect(Number.isSafeInteger(task.budgetVnd) && task.budgetVnd >= 0).toBe(true);
      }
      // Money and Standing Committee approvals in every unit, not only in one.
      expect(p.tasks.filter((t) => (t.budgetVnd ?? 0) > 0).length).toBeGreaterThanOrEqual(3);
      expect(p.tasks.some((t) => t.requiresApproval)).toBe(true);
      expect(p.checkInCadence).toBe('monthly');
    }
    expect(plan('BPHC').weeklyCheckInsBefore).toBe('28d');
  });

  it('admits a congress on a sample date, and every deadline resolves in its phase, after its prerequisites', () => {
    const congress = admitCongress(made.congress, plans, NOW);
    const due = deadlines();
    const tz = congress.timeZone;
    const ctx = { startDate: congress.startDate, endDate: congress.endDate, timeZone: tz };
    // A congress created three months ahead starts with nothing overdue.
    const earliest = instantAt(addCalendarDays(congress.startDate, -90), 0, tz);
    const phases = { before: 0, during: 0, after: 0 };
    for (const p of plans) {
      const closes = planClosesAt(congress, p.closeAfter);
      for (const task of p.tasks) {
        const at = due.get(`${p.unitCode}:${task.id}`);
        expect({ task: task.id, resolved: at !== undefined }).toEqual({ task: task.id, resolved: true });
        expect({ task: task.id, phase: phaseAt(at!, ctx) }).toEqual({ task: task.id, phase: task.phase });
        expect(at!).toBeGreaterThanOrEqual(earliest);
        expect(at!).toBeLessThan(closes);
        phases[task.phase]++;
        for (const dep of taskDependencies(task)) {
          const theirs = due.get(isExternalRef(dep) ? dep : `${p.unitCode}:${dep}`);
          expect({ task: task.id, dep, inOrder: theirs !== undefined && theirs <= at! }).toEqual({
            task: task.id,
            dep,
            inOrder: true,
          });
        }
      }
    }
    expect(phases.during).toBeGreaterThanOrEqual(3);
    expect(phases.after).toBeGreaterThanOrEqual(3);
  });

  it("depends on other units' tasks that exist and come first (cycles: the domain refuses them)", () => {
    const { edges, issues } = crossUnitDependencies(template, START);
    expect(issues).toEqual([]);
    expect(edges).toContain('BPANTT:AN-02 → BPHC:HC-02');
    expect(edges.length).toBeGreaterThanOrEqual(4);
    // Every unit both waits on another and is waited on.
    const units = new Set(plans.map((p) => p.unitCode));
    expect(new Set(edges.map((e) => e.split(':')[0]))).toEqual(units);
    expect(new Set(edges.map((e) => e.split(' → ')[1].split(':')[0]))).toEqual(units);
  });
});
