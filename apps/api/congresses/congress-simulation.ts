/**
 * A dry run of an admitted congress over HTTP: the domain's simulation (libs/domain/simulation) on a virtual
 * clock, told in Vietnamese by the module the command line uses (libs/formats/simulation-text). Nothing is
 * started in Temporal. The work is bounded: at most MAX_SIMULATED_TASKS tasks and SIMULATION_MAX_STEPS clock
 * steps (the national template closes in fewer than 500).
 */
import {
  DEFAULT_TIME_ZONE,
  addCalendarDays,
  instantAt,
  parseLocalMoment,
  invalidInput,
  type CongressDefinition,
  type UnitPlanDefinition,
  type ValidationIssue,
} from '../../../libs/domain';
// Not exported by libs/domain's index, which the workflow bundle imports.
import { defaultSimulationStart, simulateCongress, type SimulationEvent } from '../../../libs/domain/simulation';
import { simulationLines } from '../../../libs/formats/simulation-text';

/**
 * The most tasks (a plan's and its scenarios') one simulation runs: the national template has 170. The work grows
 * with tasks, plans, reminders and check-ins: 280 tasks with every setting at its worst (ten reminders, weekly
 * check-ins for 700 days, a start two years early) took about 6 s on a shared core.
 */
export const MAX_SIMULATED_TASKS = 250;
/** The most clock steps of one simulation; a plan still open then is reported as it stands. */
export const SIMULATION_MAX_STEPS = 3_000;
/** How long before congress day a simulation may start (plans are rarely made earlier). */
export const MAX_DAYS_BEFORE_CONGRESS = 730;

export interface SimulationRequest {
  lateDays?: number;
  /** `{ code, at }`, `at` local (`YYYY-MM-DDTHH:mm` or `YYYY-MM-DD`, 08:00), already checked in shape. */
  scenarios?: Array<{ code: string; at: string }>;
  /** A date: the plans start at 08:00 local that day. */
  start?: string;
}

export interface SimulationAnswer {
  congressId: string;
  timeZone: string;
  start: string;
  lateDays: number;
  events: Array<{ at: string; local: string; unitCode: string; kind: SimulationEvent['kind']; text: string }>;
  plans: Array<{ unitCode: string; unitName: string; closesAt: string | null; status: string }>;
  neverDone: string[];
}

const taskCount = (plans: UnitPlanDefinition[]) =>
  plans.reduce((n, p) => n + p.tasks.length + p.scenarios.reduce((m, s) => m + s.tasks.length, 0), 0);

/** Runs `plans` of an admitted `congress`; a 400 naming `plans`, `start` or `scenarios[i].code` when refused. */
export function simulateAdmitted(
  congress: CongressDefinition,
  plans: UnitPlanDefinition[],
  request: SimulationRequest,
): SimulationAnswer {
  const timeZone = congress.timeZone ?? DEFAULT_TIME_ZONE;
  const issues: ValidationIssue[] = [];
  const tasks = taskCount(plans);
  if (tasks > MAX_SIMULATED_TASKS) {
    issues.push({
      path: 'plans',
      message: `a simulation runs at most ${MAX_SIMULATED_TASKS} tasks; these plans have ${tasks}`,
    });
  }
  const earliest = addCalendarDays(congress.startDate, -MAX_DAYS_BEFORE_CONGRESS);
  if (request.start !== undefined && (request.start < earliest || request.start > congress.endDate)) {
    issues.push({
      path: 'start',
      message: `must be between ${earliest} (${MAX_DAYS_BEFORE_CONGRESS} days before congress day) and ${congress.endDate}`,
    });
  }
  const scenarios = (request.scenarios ?? []).map((scenario, i) => {
    if (!plans.some((p) => p.scenarios.some((s) => s.code === scenario.code))) {
      const known = [...new Set(plans.flatMap((p) => p.scenarios.map((s) => s.code)))];
      issues.push({
        path: `scenarios[${i}].code`,
        message: `no plan has a scenario "${scenario.code}"${known.length > 0 ? ` (known: ${known.join(', ')})` : ''}`,
      });
    }
    // Checked in shape by the DTO.
    return { code: scenario.code, at: parseLocalMoment(scenario.at, timeZone)! };
  });
  if (issues.length > 0) throw invalidInput(issues);

  const lateDays = request.lateDays ?? 0;
  const start =
    request.start !== undefined ? instantAt(request.start, 8 * 60, timeZone) : defaultSimulationStart(congress, plans);
  const result = simulateCongress(congress, plans, { start, lateDays, scenarios, maxSteps: SIMULATION_MAX_STEPS });
  const iso = (at: number) => new Date(at).toISOString();
  return {
    congressId: congress.id,
    timeZone,
    start: iso(start),
    lateDays,
    events: simulationLines(result, congress).map((line) => ({ ...line, at: iso(line.at) })),
    plans: result.states.map((state) => ({
      unitCode: state.definition.unitCode,
      unitName: state.definition.unitName,
      closesAt: state.closedAt !== undefined ? iso(state.closedAt) : null,
      status: state.status,
    })),
    neverDone: result.neverDone,
  };
}

/** What `POST /congresses/validate` answers for a congress the domain admitted. */
export function validationSummary(plans: UnitPlanDefinition[]) {
  return {
    ok: true as const,
    plans: plans.length,
    tasks: plans.reduce((n, p) => n + p.tasks.length, 0),
    scenarios: plans.reduce((n, p) => n + p.scenarios.length, 0),
  };
}
