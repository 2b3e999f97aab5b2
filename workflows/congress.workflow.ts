/**
 * One congress: a thin loop around the pure congress module (libs/domain/congress). It starts the unit plans as
 * children, sends the relays the module decides (moves of congress day, congress-wide contingencies, watch
 * requests and cross-unit completions), publishes progress, and writes the summary conference report once every
 * plan has finished. Every keyed update follows the one idempotency policy (libs/domain/idempotency.ts).
 */
import type { SearchAttributeUpdatePair, UpdateDefinition } from '@temporalio/common';
import * as wf from '@temporalio/workflow';
import type { Activities } from '../activities';
import {
  SA,
  planStartSearchAttributes,
  congressQueries,
  congressSignals,
  congressUpdates,
  CONGRESS_HANDLER_DESCRIPTIONS,
  planCommandSignal,
  congressRelaySignal,
  planWorkflowId,
  type CongressInput,
  type CongressState,
} from '../libs/contracts';
import {
  allPlansFinished,
  applyContingency,
  applyMove,
  checkAddPlan,
  checkContingency,
  checkMove,
  congressAttributeValues,
  congressDetails,
  createCongressState,
  dependencyWanted,
  idempotencyConflict,
  planProgress,
  planStarted,
  record,
  registerPlans,
  rememberRequest,
  replayFrom,
  requestFingerprint,
  summaryReport,
  taskCompleted,
  watchListOf,
  type Actor,
  type CongressCommandResult,
  type CongressRelay,
  type UnitPlanDefinition,
} from '../libs/domain';
import { toApplicationFailure } from './failures';
import { unitPlanWorkflow } from './unit-plan.workflow';
import { PATCHES } from './versions';

const activities = wf.proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '5s', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

/** A keyed update's content, as its fingerprint sees it: everything but who sends it and the key. */
function fingerprintOf(type: string, payload: { actor: Actor; requestId?: string }): string {
  const content: Partial<typeof payload> = { ...payload };
  delete content.actor;
  delete content.requestId;
  return requestFingerprint(type, payload.actor?.id, content);
}

export async function congressWorkflow(input: CongressInput): Promise<CongressState> {
  const now = () => Date.now();
  const state: CongressState = input.kind === 'start' ? createCongressState(input.congress) : input.state;
  state.processedRequests ??= [];
  let pendingPlans: UnitPlanDefinition[] = input.kind === 'start' ? [...input.plans] : [...input.pendingPlans];
  const relays: CongressRelay[] = [];
  /** Keyed updates still running (addPlan awaits its plan's start): a retry meanwhile waits for their result. */
  const inFlight = new Map<string, { fingerprint: string; done: Promise<unknown> }>();
  /** Plans being started by addPlan: a second request for the same unit meanwhile is refused. */
  const starting = new Set<string>();
  const workflowId = wf.workflowInfo().workflowId;

  const described = (name: keyof typeof CONGRESS_HANDLER_DESCRIPTIONS) => ({
    description: CONGRESS_HANDLER_DESCRIPTIONS[name],
  });
  wf.setHandler(
    congressSignals.taskCompleted,
    ({ unitCode, taskId, at }) => {
      relays.push(...taskCompleted(state, unitCode, taskId, at));
    },
    described('taskCompleted'),
  );
  wf.setHandler(
    congressSignals.dependencyWanted,
    ({ unitCode, ref }) => {
      relays.push(...dependencyWanted(state, unitCode, ref));
    },
    described('dependencyWanted'),
  );
  wf.setHandler(congressSignals.planProgress, (summary) => planProgress(state, summary), described('planProgress'));

  /**
   * Registers a congress update under the idempotency policy: a retry (same key, same request) answers the first
   * result marked `replayed`, the same key for another request is refused (409) by the validator, before
   * anything is recorded; a new request is checked by `check` and run by `run`.
   */
  function keyedUpdate<P extends { actor: Actor; requestId?: string }, R extends CongressCommandResult>(
    update: UpdateDefinition<R, [P]>,
    check: (payload: P) => void,
    run: (payload: P) => R | Promise<R>,
  ): void {
    const type = update.name;
    const replay = (payload: P) =>
      replayFrom(state.processedRequests ?? [], payload.requestId, fingerprintOf(type, payload)) as R | undefined;
    const remember = (key: string, payload: P, result: R) =>
      rememberRequest(state.processedRequests!, {
        key,
        fingerprint: fingerprintOf(type, payload),
        type,
        result,
        at: now(),
      });
    wf.setHandler(
      update,
      (payload): R | Promise<R> => {
        const key = payload.requestId;
        const running = key ? inFlight.get(key) : undefined;
        if (running) return running.done.then(() => replay(payload) ?? run(payload));
        const previous = replay(payload);
        if (previous) return previous;
        const result = run(payload);
        if (!key) return result;
        if (!(result instanceof Promise)) {
          remember(key, payload, result);
          return result;
        }
        const done = result.then((value) => (remember(key, payload, value), value));
        inFlight.set(key, { fingerprint: fingerprintOf(type, payload), done: done.catch(() => undefined) });
        return done.finally(() => inFlight.delete(key));
      },
      {
        ...described(type as keyof typeof congressUpdates),
        validator: (payload) => {
          try {
            const key = payload.requestId;
            const running = key ? inFlight.get(key) : undefined;
            if (running && running.fingerprint !== fingerprintOf(type, payload)) throw idempotencyConflict(key!, type);
            if (running || replay(payload)) return;
            check(payload);
          } catch (err) {
            throw toApplicationFailure(err);
          }
        },
      },
    );
  }

  keyedUpdate(
    congressUpdates.moveCongressDay,
    (move) => checkMove(state, move, now()),
    (move) => {
      const { result, relays: toSend } = applyMove(state, move, move.actor, now());
      relays.push(...toSend);
      return result;
    },
  );
  for (const [update, active] of [
    [congressUpdates.activateContingency, true],
    [congressUpdates.deactivateContingency, false],
  ] as const) {
    keyedUpdate(
      update,
      ({ scenario, reason }) => checkContingency(state, scenario, reason, active),
      ({ scenario, reason, actor }) => {
        const { result, relays: toSend } = applyContingency(state, scenario, reason, active, actor, now());
        relays.push(...toSend);
        return result;
      },
    );
  }
  keyedUpdate(
    congressUpdates.addPlan,
    ({ plan }) => checkAddPlan(state, plan, [...pendingPlans.map((p) => p.unitCode), ...starting]),
    async ({ actor, plan }) => {
      record(state, { actor: actor.id, action: 'plan.added', details: { unitCode: plan.unitCode } }, now());
      const toSend = registerPlans(state, [plan]);
      starting.add(plan.unitCode);
      try {
        await startPlan(plan);
      } finally {
        starting.delete(plan.unitCode);
      }
      // Running plans this one depends on are told to announce those tasks (versioned: new behaviour); those
      // still starting are told once they exist (startPlan).
      if (toSend.length > 0 && wf.patched(PATCHES.congressTellsOwners)) relays.push(...toSend);
      return { ok: true as const, workflowId: planWorkflowId(state.congress.id, plan.unitCode) };
    },
  );
  // Answers once every plan the congress started with exists, so that the API can answer its creation then.
  wf.setHandler(
    congressUpdates.awaitPlans,
    async () => {
      await wf.condition(() => pendingPlans.length === 0);
      return { ok: true as const, units: [...state.units] };
    },
    described('awaitPlans'),
  );
  wf.setHandler(
    congressQueries.view,
    () => ({
      workflowId,
      congress: state.congress,
      units: state.units,
      progress: state.progress,
      finished: state.finished,
      activeContingencies: state.activeContingencies,
      history: state.history,
    }),
    described('view'),
  );

  async function startPlan(plan: UnitPlanDefinition): Promise<void> {
    const id = planWorkflowId(state.congress.id, plan.unitCode);
    const watchList = watchListOf(state, plan.unitCode);
    await wf.startChild(unitPlanWorkflow, {
      workflowId: id,
      args: [{ kind: 'start', congress: state.congress, plan, watchedTasks: watchList }],
      // Plans outlive a continue-as-new of the congress; they end on their own schedule.
      parentClosePolicy: 'ABANDON',
      typedSearchAttributes: planStartSearchAttributes(state.congress.id, plan.unitCode),
      memo: { congressName: state.congress.name, unitName: plan.unitName, documentNumber: plan.documentNumber ?? '' },
      staticSummary: `${plan.unitName} — ${state.congress.name}`,
    });
    const missed = planStarted(state, plan.unitCode, watchList);
    // Plans added while this one was starting depend on it: it is told (versioned: new behaviour).
    if (missed.length > 0 && wf.patched(PATCHES.congressTellsOwners)) relays.push(...missed);
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
            record(
              state,
              {
                actor: 'system',
                action: 'relay.failed',
                reason: String(err),
                details: { unitCode, command: command.type },
              },
              now(),
            );
          }
        }),
      );
    }
  }

  /** Congresses started since this patch upsert their search attributes only when the values change. */
  const attributesOnChange = wf.patched(PATCHES.congressAttributesOnChange);
  let lastAttributes: string | undefined;

  function publish(): void {
    const values = congressAttributeValues(state);
    const attributes: SearchAttributeUpdatePair[] = [
      { key: SA.status, value: values.status },
      { key: SA.contingency, value: values.contingency },
      { key: SA.overdueCount, value: values.overdueCount },
    ];
    const fingerprint = JSON.stringify(values);
    if (!attributesOnChange || fingerprint !== lastAttributes) {
      wf.upsertSearchAttributes(attributes);
      lastAttributes = fingerprint;
    }
    wf.setCurrentDetails(congressDetails(state));
  }

  // The initial plans subscribe together, so that each one's watch list holds every dependency among them.
  registerPlans(state, pendingPlans);
  // At once: one after another, each start waited for a workflow task, and a congress of ten large plans took
  // longer than its creation request may wait.
  if (wf.patched(PATCHES.parallelPlanStarts)) await Promise.all([...pendingPlans].map(startPlan));
  else for (const plan of [...pendingPlans]) await startPlan(plan);
  let lastPublished = '';
  const fingerprint = () => JSON.stringify([state.progress, state.activeContingencies, state.finished]);
  for (;;) {
    await sendRelays();
    const seen = fingerprint();
    if (seen !== lastPublished) {
      publish();
      lastPublished = seen;
    }
    if (allPlansFinished(state, pendingPlans.length) && relays.length === 0) break;
    if (wf.workflowInfo().continueAsNewSuggested) {
      await wf.condition(wf.allHandlersFinished);
      // Relays queued by handlers meanwhile go out first: continue-as-new carries state, not this queue.
      if (relays.length === 0) await wf.continueAsNew<typeof congressWorkflow>({ kind: 'resume', state, pendingPlans });
      continue;
    }
    await wf.condition(() => relays.length > 0 || fingerprint() !== seen);
  }

  const report = summaryReport(state);
  await activities.writeReport({
    workflowId,
    key: 'summary-conference-report',
    title: report.title,
    report: { units: report.units, history: state.history },
    markdown: report.markdown,
  });
  state.summaryReportWritten = true;
  publish();
  await wf.condition(wf.allHandlersFinished);
  return state;
}
