/**
 * Checks every template spec makes of its shipped file (test code, beside the specs): the tasks with their unit
 * and scenario, the texts a person reads, and the dependencies across units, which the domain admits as long as
 * they form no cycle, but which a template must also keep meetable.
 */
import {
  buildScheduleContext,
  isExternalRef,
  resolveDueText,
  taskDependencies,
  type TaskDefinition,
  type UnitPlanDefinition,
} from '../libs/domain';
import { instantiateTemplate, loadTemplates, type CongressTemplate } from '../libs/templates';

/** Letters only Vietnamese text has (ASCII-only titles would be English or codes). */
export const VIETNAMESE_LETTER = /[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]/i;

export interface TemplateTask {
  unit: string;
  task: TaskDefinition;
  /** The scenario's code for a contingency's task. */
  scenario?: string;
}

/** Every task of the template, the scenarios' too, with its unit and scenario. */
export function everyTask(template: CongressTemplate): TemplateTask[] {
  return template.plans.flatMap((plan) => [
    ...plan.tasks.map((task) => ({ unit: plan.unitCode, task })),
    ...plan.scenarios.flatMap((s) => s.tasks.map((task) => ({ unit: plan.unitCode, task, scenario: s.code }))),
  ]);
}

/** What a person reads of a plan: its unit's, agencies', groups' and scenarios' names and every task's title. */
export function textsPeopleRead(template: CongressTemplate, plan: UnitPlanDefinition): string[] {
  return [
    plan.unitName,
    ...plan.agencies.map((a) => a.name),
    ...plan.groups.map((g) => g.name),
    ...plan.scenarios.map((s) => s.name),
    ...everyTask(template)
      .filter((e) => e.unit === plan.unitCode)
      .map((e) => e.task.title),
  ];
}

export interface CrossUnitDependencies {
  /** Every `UNIT:taskId` a task names, as `UNIT:task → OWNER:task`. */
  edges: string[];
  /**
   * What is wrong with them: a unit naming itself, a task that does not exist, a plan task due before the other
   * unit's task it waits on (for a congress on `startDate`), a contingency task waiting on another scenario's.
   */
  issues: string[];
}

export function crossUnitDependencies(template: CongressTemplate, startDate: string): CrossUnitDependencies {
  const { congress } = instantiateTemplate(template, { id: 'dh-mau', startDate });
  const ctx = buildScheduleContext(
    { startDate: congress.startDate, endDate: congress.endDate, timeZone: congress.timeZone! },
    undefined,
  );
  const planOf = new Map(template.plans.map((p) => [p.unitCode, p]));
  const edges: string[] = [];
  const issues: string[] = [];
  for (const { unit, task, scenario } of everyTask(template)) {
    for (const dep of taskDependencies(task).filter(isExternalRef)) {
      const edge = `${unit}:${task.id} → ${dep}`;
      edges.push(edge);
      const [owner, taskId] = dep.split(':');
      const ownerPlan = planOf.get(owner);
      if (owner === unit) issues.push(`${edge}: names its own unit`);
      const theirs = ownerPlan?.tasks.find((t) => t.id === taskId);
      if (theirs) {
        const due = scenario ? undefined : resolveDueText(task.due, ctx);
        const theirDue = resolveDueText(theirs.due, ctx);
        if (due !== undefined && theirDue !== undefined && due < theirDue) issues.push(`${edge}: due before it`);
        continue;
      }
      // Only a contingency's task may wait on another unit's contingency task, of the same scenario.
      const theirScenario = ownerPlan?.scenarios.find((s) => s.tasks.some((t) => t.id === taskId));
      if (!theirScenario) issues.push(`${edge}: no such task`);
      else if (theirScenario.code !== scenario) issues.push(`${edge}: a task of scenario ${theirScenario.code}`);
    }
  }
  return { edges, issues };
}

/** A shipped template by id, read through the same loader the API uses. */
export function shippedTemplate(id: string): CongressTemplate {
  const found = loadTemplates().find((t) => t.id === id);
  if (!found) throw new Error(`${id}.yaml is not among the shipped templates`);
  return found;
}

/** Lookups into a template that fail loudly, naming what is missing. */
export function lookups(template: CongressTemplate) {
  const planOf = (unitCode: string): UnitPlanDefinition => {
    const plan = template.plans.find((p) => p.unitCode === unitCode);
    if (!plan) throw new Error(`no plan ${unitCode} in the ${template.id} template`);
    return plan;
  };
  const taskOf = (ref: string): TaskDefinition => {
    const [unitCode, taskId] = ref.split(':');
    const task = planOf(unitCode).tasks.find((t) => t.id === taskId);
    if (!task) throw new Error(`no task ${ref} in the ${template.id} template`);
    return task;
  };
  return { planOf, taskOf };
}
