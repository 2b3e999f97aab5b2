/**
 * The congresses and plans the bench runs, built from the templates (people, agencies, groups) with
 * deadlines set to the bench's own clock: absolute instants (`2026-11-23T15:00:00.000Z`) and ladders,
 * reminders and approval windows in seconds, so that a plan's life plays out within a minute.
 */
import {
  generatedPlan,
  provincialCongress,
  type CongressDefinition,
  type EscalationStep,
  type TaskDefinition,
  type UnitPlanDefinition,
} from '../../libs/domain';

/** Asia/Ho_Chi_Minh has kept UTC+07:00 without summer time since 1975; dates are computed at that offset. */
const VIETNAM_OFFSET_MS = 7 * 3600_000;

export function localDate(ms: number, plusDays = 0): string {
  return new Date(ms + VIETNAM_OFFSET_MS + plusDays * 86400_000).toISOString().slice(0, 10);
}

/** Local midnight at the start of `date`. */
export function localMidnight(date: string): number {
  return Date.parse(`${date}T00:00:00+07:00`);
}

/** A congress `daysAhead` days from now, lasting two days (the templates' provincial congress). */
export function futureCongress(id: string, now: number, daysAhead = 200): CongressDefinition {
  return provincialCongress(id, localDate(now, daysAhead));
}

/** A congress that ended at the last local midnight: its plans close `closeAfter` later. */
export function endedCongress(id: string, now: number): CongressDefinition {
  return { ...provincialCongress(id, localDate(now, -3)), endDate: localDate(now, -1) };
}

export function congressEndOf(congress: CongressDefinition): number {
  return localMidnight(congress.endDate) + 86400_000;
}

export function isoAt(ms: number): string {
  return new Date(ms).toISOString();
}

interface PlanShape {
  unitCode: string;
  tasks: Array<Pick<TaskDefinition, 'id' | 'due'> & Partial<TaskDefinition>>;
  reminders?: string[];
  ladder?: EscalationStep[];
  decisionWindow?: string;
  closeAfter?: string;
}

/** A plan with the templates' agencies and people, these tasks, no draft stage and no scenarios. */
export function benchPlan(shape: PlanShape): UnitPlanDefinition {
  const base = generatedPlan(1, { unitCode: shape.unitCode });
  const template = base.tasks[0];
  return {
    ...base,
    unitName: `Bộ phận đo hiệu năng ${shape.unitCode}`,
    tasks: shape.tasks.map((t, i) => ({
      ...template,
      title: `Nhiệm vụ đo ${i + 1}`,
      dependsOn: undefined,
      requiresApproval: false,
      ...t,
    })),
    reminders: shape.reminders ?? [],
    escalationLadder: shape.ladder ?? [
      { after: '0m', notify: ['assignee', 'leadAgencyHead'] },
      { after: '2d', notify: ['unitLead'] },
    ],
    approvalPolicy: { quorum: 'majority', decisionWindow: shape.decisionWindow ?? '5d', planRequiresApproval: false },
    scenarios: [],
    ...(shape.closeAfter ? { closeAfter: shape.closeAfter } : {}),
  };
}

/** A plan whose tasks run for months: for latency and throughput (updates on its first task). */
export function steadyPlan(unitCode: string, now: number): UnitPlanDefinition {
  return benchPlan({
    unitCode,
    tasks: Array.from({ length: 5 }, (_, i) => ({ id: `S-${i + 1}`, due: isoAt(now + (60 + i) * 86400_000) })),
  });
}

export function unitCode(prefix: string, n: number): string {
  return `${prefix}${String(n).padStart(4, '0')}`;
}
