/**
 * One congress: starts its unit plans as children, propagates moves of congress day and congress-wide
 * contingencies to every plan, relays cross-unit dependencies, aggregates progress, and writes the summary
 * conference report once every plan has finished.
 */
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import * as wf from '@temporalio/workflow';
import type { Activities } from '../activities';
import {
  SA,
  congressQueries,
  congressSignals,
  congressUpdates,
  planCommandSignal,
  congressRelaySignal,
  planWorkflowId,
  type CongressInput,
  type CongressState,
} from '../libs/contracts';
import {
  DomainError,
  SYSTEM_ACTOR,
  invalidInput,
  isExternalRef,
  validateCongress,
  validatePlan,
  type PlanCommand,
  type UnitPlanDefinition,
} from '../libs/domain';
import { toApplicationFailure } from './failures';
import { unitPlanWorkflow } from './unit-plan.workflow';

const activities = wf.proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '5s', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

/** A relay to one plan, queued by handlers and sent by the main loop. */
interface Relay {
  unitCode: string;
  command: PlanCommand;
}

/** Task ids of `unitCode` that other plans depend on (`UNIT:taskId` references). */
function watchedTasksOf(unitCode: string, plans: UnitPlanDefinition[]): string[] {
  const watched = new Set<string>();
  for (const plan of plans) {
    for (const task of [...plan.tasks, ...plan.scenarios.flatMap((s) => s.tasks)]) {
      for (const dep of task.dependsOn ?? []) {
        if (isExternalRef(dep) && dep.startsWith(`${unitCode}:`)) watched.add(dep.slice(unitCode.length + 1));
      }
    }
  }
  return [...watched];
}

export async function congressWorkflow(input: CongressInput): Promise<CongressState> {
  const now = () => Date.now();
  const state: CongressState =
    input.kind === 'start'
      ? {
          congress: input.congress,
          units: [],
          progress: {},
          finished: {},
          completions: {},
          subscribers: {},
          activeContingencies: [],
          history: [],
          summaryReportWritten: false,
        }
      : input.state;
  let pendingPlans: UnitPlanDefinition[] = input.kind === 'start' ? [...input.plans] : [...input.pendingPlans];
  const allPlans = [...pendingPlans];
  const relays: Relay[] = [];
  const workflowId = wf.workflowInfo().workflowId;

  const liveUnits = () => state.units.filter((u) => state.finished[u] === undefined);
  const relayToAll = (command: PlanCommand) => {
    for (const unitCode of liveUnits()) relays.push({ unitCode, command });
    return liveUnits();
  };
  const record = (entry: Omit<CongressState['history'][number], 'at'>) => state.history.push({ at: now(), ...entry });

  wf.setHandler(congressSignals.taskCompleted, ({ unitCode, taskId, at }) => {
    const ref = `${unitCode}:${taskId}`;
    if (state.completions[ref] !== undefined) return;
    state.completions[ref] = at;
    for (const subscriber of state.subscribers[ref] ?? []) {
      relays.push({ unitCode: subscriber, command: { type: 'externalTaskCompleted', actor: SYSTEM_ACTOR, ref, at } });
    }
  });
  wf.setHandler(congressSignals.dependencyWanted, ({ unitCode, ref }) => {
    const subscribers = (state.subscribers[ref] ??= []);
    if (!subscribers.includes(unitCode)) subscribers.push(unitCode);
    const at = state.completions[ref];
    if (at !== undefined) {
      relays.push({ unitCode, command: { type: 'externalTaskCompleted', actor: SYSTEM_ACTOR, ref, at } });
    } else {
      const [owner, taskId] = ref.split(':');
      if (state.units.includes(owner))
        relays.push({ unitCode: owner, command: { type: 'watchTask', actor: SYSTEM_ACTOR, taskId } });
    }
  });
  wf.setHandler(congressSignals.planProgress, (summary) => {
    state.progress[summary.unitCode] = summary;
    if (summary.status === 'closed' || summary.status === 'stopped') state.finished[summary.unitCode] = summary.status;
  });

  wf.setHandler(
    congressUpdates.moveCongressDay,
    ({ actor, reason, startDate, endDate }) => {
      state.congress = { ...state.congress, startDate, endDate };
      record({ actor: actor.id, action: 'congress.moved', reason, details: { startDate, endDate } });
      const units = relayToAll({ type: 'moveCongressDay', actor, reason, startDate, endDate });
      return { ok: true as const, plans: units.length };
    },
    {
      validator: ({ reason, startDate, endDate }) => {
        const issues = validateCongress({ ...state.congress, startDate, endDate })
          .filter((i) => i.path.endsWith('Date'))
          .map((i) => ({ ...i, path: i.path.replace('congress.', '') }));
        if (!reason?.trim()) issues.push({ path: 'reason', message: 'is required for changes to the plan' });
        if (issues.length > 0) throw toApplicationFailure(invalidInput(issues));
      },
    },
  );
  wf.setHandler(
    congressUpdates.activateContingency,
    ({ actor, reason, scenario }) => {
      state.activeContingencies.push(scenario);
      record({ actor: actor.id, action: 'contingency.activated', reason, details: { scenario } });
      return {
        ok: true as const,
        plans: relayToAll({ type: 'congressContingency', actor, reason, scenario, active: true }),
      };
    },
    {
      validator: ({ scenario, reason }) => {
        if (!reason?.trim()) throw toApplicationFailure(invalidInput([{ path: 'reason', message: 'is required' }]));
        if (state.activeContingencies.includes(scenario)) {
          throw toApplicationFailure(
            new DomainError('INVALID_TRANSITION', `contingency ${scenario} is already active`),
          );
        }
      },
    },
  );
  wf.setHandler(
    congressUpdates.deactivateContingency,
    ({ actor, reason, scenario }) => {
      state.activeContingencies = state.activeContingencies.filter((c) => c !== scenario);
      record({ actor: actor.id, action: 'contingency.deactivated', reason, details: { scenario } });
      return {
        ok: true as const,
        plans: relayToAll({ type: 'congressContingency', actor, reason, scenario, active: false }),
      };
    },
    {
      validator: ({ scenario, reason }) => {
        if (!reason?.trim()) throw toApplicationFailure(invalidInput([{ path: 'reason', message: 'is required' }]));
        if (!state.activeContingencies.includes(scenario)) {
          throw toApplicationFailure(new DomainError('INVALID_TRANSITION', `contingency ${scenario} is not active`));
        }
      },
    },
  );
  wf.setHandler(
    congressUpdates.addPlan,
    async ({ actor, plan }) => {
      record({ actor: actor.id, action: 'plan.added', details: { unitCode: plan.unitCode } });
      allPlans.push(plan);
      await startPlan(plan);
      return { ok: true as const, workflowId: planWorkflowId(state.congress.id, plan.unitCode) };
    },
    {
      validator: ({ plan }) => {
        if (state.units.includes(plan?.unitCode) || pendingPlans.some((p) => p.unitCode === plan?.unitCode)) {
          throw toApplicationFailure(new DomainError('INVALID_TRANSITION', `unit ${plan.unitCode} already has a plan`));
        }
        const issues = validatePlan(plan, state.congress);
        if (issues.length > 0) throw toApplicationFailure(invalidInput(issues));
      },
    },
  );
  wf.setHandler(congressQueries.view, () => ({
    workflowId,
    congress: state.congress,
    units: state.units,
    progress: state.progress,
    finished: state.finished,
    activeContingencies: state.activeContingencies,
    history: state.history,
  }));

  async function startPlan(plan: UnitPlanDefinition): Promise<void> {
    for (const task of [...plan.tasks, ...plan.scenarios.flatMap((s) => s.tasks)]) {
      for (const dep of task.dependsOn ?? []) {
        if (!isExternalRef(dep)) continue;
        const subscribers = (state.subscribers[dep] ??= []);
        if (!subscribers.includes(plan.unitCode)) subscribers.push(plan.unitCode);
      }
    }
    const id = planWorkflowId(state.congress.id, plan.unitCode);
    await wf.startChild(unitPlanWorkflow, {
      workflowId: id,
      args: [{ kind: 'start', congress: state.congress, plan, watchedTasks: watchedTasksOf(plan.unitCode, allPlans) }],
      // Plans outlive a continue-as-new of the congress; they end on their own schedule.
      parentClosePolicy: 'ABANDON',
      typedSearchAttributes: [
        { key: SA.congress, value: state.congress.id },
        { key: SA.unit, value: plan.unitCode },
        { key: SA.kind, value: 'plan' },
      ],
      memo: { congressName: state.congress.name, unitName: plan.unitName, documentNumber: plan.documentNumber ?? '' },
      staticSummary: `${plan.unitName} — ${state.congress.name}`,
    });
    state.units.push(plan.unitCode);
    pendingPlans = pendingPlans.filter((p) => p.unitCode !== plan.unitCode);
  }

  async function sendRelays(): Promise<void> {
    while (relays.length > 0) {
      const batch = relays.splice(0, relays.length);
      await Promise.all(
        batch.map(async ({ unitCode, command }) => {
          try {
            await wf
              .getExternalWorkflowHandle(planWorkflowId(state.congress.id, unitCode))
              .signal(wf.patched('congress-relay-signal-v1') ? congressRelaySignal : planCommandSignal, command);
          } catch (err) {
            // A plan that has already completed cannot be signalled; that is not an error for the congress.
            record({
              actor: 'system',
              action: 'relay.failed',
              reason: String(err),
              details: { unitCode, command: command.type },
            });
          }
        }),
      );
    }
  }

  function publish(): void {
    const finished = state.units.length > 0 && liveUnits().length === 0;
    const attributes: SearchAttributeUpdatePair[] = [
      { key: SA.status, value: finished ? 'closed' : 'active' },
      { key: SA.contingency, value: state.activeContingencies.length > 0 ? state.activeContingencies.join(',') : null },
      { key: SA.overdueCount, value: Object.values(state.progress).reduce((n, p) => n + p.overdueCount, 0) },
    ];
    wf.upsertSearchAttributes(attributes);
    const lines = [`**${state.congress.name}** — ${state.congress.startDate} → ${state.congress.endDate}`];
    for (const unit of state.units) {
      const p = state.progress[unit];
      lines.push(
        p ? `${unit}: ${p.status}, ${p.done}/${p.total} xong, ${p.overdueCount} quá hạn` : `${unit}: đang khởi động`,
      );
    }
    wf.setCurrentDetails(lines.join('\n\n'));
  }

  for (const plan of [...pendingPlans]) await startPlan(plan);
  let lastPublished = '';
  for (;;) {
    await sendRelays();
    const fingerprint = JSON.stringify([state.progress, state.activeContingencies, state.finished]);
    if (fingerprint !== lastPublished) {
      publish();
      lastPublished = fingerprint;
    }
    const allFinished = state.units.length > 0 && liveUnits().length === 0 && pendingPlans.length === 0;
    if (allFinished && relays.length === 0) break;
    if (wf.workflowInfo().continueAsNewSuggested) {
      await wf.condition(wf.allHandlersFinished);
      // Relays queued by handlers meanwhile go out first: continue-as-new carries state, not this queue.
      if (relays.length === 0) await wf.continueAsNew<typeof congressWorkflow>({ kind: 'resume', state, pendingPlans });
      continue;
    }
    const seen = fingerprint;
    await wf.condition(
      () => relays.length > 0 || JSON.stringify([state.progress, state.activeContingencies, state.finished]) !== seen,
    );
  }

  // The summary conference (hội nghị tổng kết): one report across every unit.
  const units = state.units.map((u) => state.progress[u]).filter((p) => p !== undefined);
  const markdown = [
    `# Báo cáo tổng kết công tác phục vụ ${state.congress.name}`,
    '',
    '| Bộ phận | Trạng thái | Hoàn thành | Quá hạn |',
    '|---|---|---|---|',
    ...units.map((p) => `| ${p.unitCode} | ${p.status} | ${p.done}/${p.total} | ${p.overdueCount} |`),
    '',
    `Tổng số nhiệm vụ hoàn thành: ${units.reduce((n, p) => n + p.done, 0)}/${units.reduce((n, p) => n + p.total, 0)}.`,
    state.history.length > 0 ? `Số quyết định cấp Đại hội: ${state.history.length}.` : '',
  ].join('\n');
  await activities.writeReport({
    workflowId,
    key: 'summary-conference-report',
    title: `Báo cáo tổng kết ${state.congress.name}`,
    report: { units, history: state.history },
    markdown: `${markdown}\n`,
  });
  state.summaryReportWritten = true;
  publish();
  await wf.condition(wf.allHandlersFinished);
  return state;
}
