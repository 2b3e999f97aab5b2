/**
 * One support unit's plan, alive for months: a thin loop around the plan engine in libs/domain.
 *
 * Each turn brings the plan up to workflow time (`advance`), publishes search attributes and current details,
 * starts the queued effects without waiting on them (they leave the outbox as they settle, and the outbox
 * travels through continue-as-new), and then waits for one thing only: the next moment anything is due (one
 * durable timer, re-armed only when that moment changes) or a message (an update, a relayed command, an effect
 * settling). Plans started before this loop replay the loop they ran (`legacyLoop`).
 * Relative imports only: the workflow bundler does not read tsconfig paths.
 */
import type { SearchAttributeUpdatePair, UpdateDefinition } from '@temporalio/common';
import * as wf from '@temporalio/workflow';
import type { Activities } from '../activities';
import {
  SA,
  congressRelaySignal,
  congressSignals,
  planCommandSignal,
  PLAN_COMMAND_DESCRIPTIONS,
  PLAN_QUERY_DESCRIPTIONS,
  planQueries,
  planUpdates,
  type PlanView,
  type UnitPlanInput,
  type UnitPlanResult,
} from '../libs/contracts';
import {
  DomainError,
  PLAN_COMMAND_TYPES,
  SYSTEM_ACTOR,
  USER_COMMAND_TYPES,
  advance,
  applyCommand,
  approvalView,
  audit,
  checkCommand,
  createPlanState,
  currentDetails,
  vi,
  isSystemCommand,
  nextWakeAfter,
  nextWakeAt,
  orderedTasks,
  recordFailedDelivery,
  overdueTasks,
  pendingApprovals,
  planSummary,
  progressReport,
  progressReportKey,
  recordRefusedDecision,
  reportMarkdown,
  taskView,
  timeline,
  wakeSummary,
  type Effect,
  type PlanCommand,
  type PlanState,
  type PlanSummary,
} from '../libs/domain';
import { recordingExternalCancellation } from './external-cancellation';
import { toApplicationFailure } from './failures';
import { PATCHES, engineByCapability, planHas, planRules } from './versions';

const activityOptions: wf.ActivityOptions = {
  startToCloseTimeout: '1 minute',
  // Notifications may wait out a receiver's outage of a few hours; after that the failure is recorded.
  retry: { initialInterval: '5s', backoffCoefficient: 2, maximumInterval: '10 minutes', maximumAttempts: 40 },
};
const activities = wf.proxyActivities<Activities>(activityOptions);
/** Archiving audit segments retries without limit: those entries exist nowhere else once written. */
const archiveRetry: wf.ActivityOptions['retry'] = {
  initialInterval: '5s',
  backoffCoefficient: 2,
  maximumInterval: '10 minutes',
};

/**
 * Reports and archives go to files on the worker's disk: written in milliseconds, within the workflow task.
 * Retried like the archive (never given up: audit entries exist nowhere else once written); a backoff longer
 * than a second becomes a timer, so that a failing disk never holds a workflow task open.
 */
const localFileActivities = wf.proxyLocalActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: archiveRetry,
  localRetryThreshold: '1 second',
});

/** How long a run about to continue as new waits for the effects it started (see the outbox loop). */
const SETTLE_BEFORE_CONTINUING = '10 seconds';

/** Effects carried out at once, in parallel; the rest wait for the next batch (plans on the legacy loop). */
const EFFECT_BATCH = 20;

export function unitPlanWorkflow(input: UnitPlanInput): Promise<UnitPlanResult> {
  return recordingExternalCancellation((seeState) => runPlan(input, seeState));
}

async function runPlan(input: UnitPlanInput, seeState: (state: PlanState) => void): Promise<UnitPlanResult> {
  const now = () => Date.now();
  // Patches asked in their recorded order (plan-fewer-events-v1 first, see planHas): the outbox's, the rules'.
  const outbox = engineByCapability();
  const rules = planRules({
    auditKeptInState: input.options?.auditKeptInState,
    commentsKeptInState: input.options?.commentsKeptInState,
    stateBudgetBytes: input.options?.stateBudgetBytes,
  });
  /** Runs since this patch: see PATCHES.planFewerEvents (asked first, by engineByCapability). */
  const fewerEvents = wf.patched(PATCHES.planFewerEvents);
  /** Where files are written: in the workflow task (local activities), or as activities of their own before. */
  const files = fewerEvents ? localFileActivities : activities;
  let state: PlanState;
  try {
    state =
      input.kind === 'start'
        ? createPlanState(input.congress, input.plan, now(), { watchedTasks: input.watchedTasks, rules })
        : input.state;
  } catch (err) {
    throw toApplicationFailure(err);
  }
  state.rules = rules;
  seeState(state);
  const workflowId = wf.workflowInfo().workflowId;
  const parentId = wf.workflowInfo().parent?.workflowId;
  /** Plans under a congress report to it only what it acts on (see progressReportKey). */
  const reportsWhenItMatters = parentId !== undefined && fewerEvents;
  let lastSentProgress = input.kind === 'resume' ? input.lastSentProgress : undefined;
  let lastSearchAttributes = '';
  let woken = false;

  // Handlers first, before any await, so that no message arriving with the first task is missed.
  // Only what people do is an update; what the congress relays comes through its own signal channel.
  for (const type of outbox ? USER_COMMAND_TYPES : PLAN_COMMAND_TYPES) {
    const update = planUpdates[type] as UpdateDefinition<unknown, [Omit<PlanCommand, 'type'>]>;
    wf.setHandler(
      update,
      (payload) => {
        const command = { ...payload, type } as PlanCommand;
        try {
          const result = applyCommand(state, command, now());
          woken = true;
          return result;
        } catch (err) {
          // A decision by someone outside the approvers is recorded in the audit log.
          if (command.type === 'decide' && err instanceof DomainError && err.code === 'FORBIDDEN') {
            recordRefusedDecision(state, command, now());
          }
          woken = true;
          throw toApplicationFailure(err);
        }
      },
      {
        validator: (payload) => {
          try {
            checkCommand(state, { ...payload, type } as PlanCommand, now());
          } catch (err) {
            throw toApplicationFailure(err);
          }
        },
        description: PLAN_COMMAND_DESCRIPTIONS[type],
      },
    );
  }

  const relay = (command: PlanCommand) => {
    try {
      if (outbox && !isSystemCommand(command?.type)) {
        throw new DomainError('FORBIDDEN', `${String(command?.type)} is not a command the congress relays`);
      }
      applyCommand(state, command, now());
    } catch (err) {
      const message = err instanceof DomainError ? `${err.code}: ${err.message}` : String(err);
      audit(
        state,
        {
          actor: command?.actor ?? SYSTEM_ACTOR,
          action: 'command.failed',
          target: String(command?.type),
          reason: message,
        },
        now(),
      );
    }
    woken = true;
  };
  wf.setHandler(planCommandSignal, relay, {
    description: 'Lệnh do Đại hội chuyển đến (các lượt chạy cũ của Đại hội; lệnh bị từ chối được ghi nhật ký)',
  });
  if (outbox) {
    wf.setHandler(congressRelaySignal, relay, {
      description:
        'Lệnh hệ thống do Đại hội chuyển đến: ngày Đại hội, phương án dự phòng, phụ thuộc (bị từ chối thì ghi nhật ký)',
    });
  }

  wf.setHandler(
    planQueries.view,
    (): PlanView => {
      const at = now();
      return {
        workflowId,
        congress: {
          id: state.congress.id,
          name: state.congress.name,
          startDate: state.congress.startDate,
          endDate: state.congress.endDate,
          timeZone: state.congress.timeZone,
        },
        unit: {
          code: state.definition.unitCode,
          name: state.definition.unitName,
          ...(state.definition.unitNameEn ? { nameEn: state.definition.unitNameEn } : {}),
          lead: state.definition.unitLead,
          ...(state.definition.documentNumber ? { documentNumber: state.definition.documentNumber } : {}),
        },
        status: state.status,
        phase: state.phase,
        summary: planSummary(state, at),
        tasks: orderedTasks(state).map((t) => taskView(t, at)),
        pendingApprovals: pendingApprovals(state),
        contingencies: state.definition.scenarios.map((s) => {
          const c = state.contingencies[s.code];
          return {
            code: s.code,
            name: s.name,
            status: c?.status ?? 'inactive',
            ...(c?.activatedAt !== undefined ? { activatedAt: new Date(c.activatedAt).toISOString() } : {}),
            ...(c?.emergency !== undefined ? { emergency: c.emergency } : {}),
          };
        }),
        comments: state.comments,
        ...(state.commentsArchived ? { commentsArchived: state.commentsArchived } : {}),
        ...(state.failedDeliveries?.length ? { failedDeliveries: state.failedDeliveries } : {}),
        closesAt: new Date(state.closesAt).toISOString(),
      };
    },
    { description: PLAN_QUERY_DESCRIPTIONS.view },
  );
  wf.setHandler(planQueries.overdue, () => overdueTasks(state, now()), {
    description: PLAN_QUERY_DESCRIPTIONS.overdue,
  });
  wf.setHandler(planQueries.pendingApprovals, () => pendingApprovals(state), {
    description: PLAN_QUERY_DESCRIPTIONS.pendingApprovals,
  });
  wf.setHandler(planQueries.approvals, () => Object.values(state.approvals).map(approvalView), {
    description: PLAN_QUERY_DESCRIPTIONS.approvals,
  });
  wf.setHandler(planQueries.timeline, () => timeline(state, now()), { description: PLAN_QUERY_DESCRIPTIONS.timeline });
  wf.setHandler(
    planQueries.audit,
    (page) => {
      const offset = Math.max(0, page?.offset ?? 0);
      const limit = Math.min(500, Math.max(1, page?.limit ?? 100));
      return {
        entries: state.audit.slice(offset, offset + limit),
        total: state.audit.length,
        archivedThroughSeq: (state.audit[0]?.seq ?? state.counters.audit + 1) - 1,
      };
    },
    { description: PLAN_QUERY_DESCRIPTIONS.audit },
  );
  wf.setHandler(
    planQueries.escalations,
    () => {
      const at = now();
      return orderedTasks(state)
        .filter((t) => t.escalation && t.escalation.firedSteps.length > 0)
        .map((t) => ({
          ...taskView(t, at),
          firedLevels: t.escalation!.firedSteps.map((s) => s + 1),
          ...(t.escalation!.holdUntil !== undefined
            ? { holdUntil: new Date(t.escalation!.holdUntil).toISOString() }
            : {}),
          ...(t.escalation!.acknowledgedBy ? { acknowledgedBy: t.escalation!.acknowledgedBy } : {}),
        }));
    },
    { description: PLAN_QUERY_DESCRIPTIONS.escalations },
  );
  wf.setHandler(planQueries.report, () => progressReport(state, now()), {
    description: PLAN_QUERY_DESCRIPTIONS.report,
  });
  wf.setHandler(planQueries.summary, () => planSummary(state, now()), { description: PLAN_QUERY_DESCRIPTIONS.summary });
  wf.setHandler(planQueries.state, () => state, { description: PLAN_QUERY_DESCRIPTIONS.state });

  async function perform(effect: Effect): Promise<void> {
    const { congress, definition } = state;
    switch (effect.kind) {
      case 'notify': {
        const summary = `${effect.event}${effect.taskId ? ` ${effect.taskId}` : ''}${effect.level ? ` level ${effect.level}` : ''}`;
        await activities.deliverNotification.executeWithOptions({ ...activityOptions, summary }, [
          {
            idempotencyKey: `${workflowId}/${effect.key}`,
            workflowId,
            congressId: congress.id,
            unitCode: definition.unitCode,
            event: effect.event,
            subject: effect.subject,
            text: effect.text,
            recipients: effect.recipients,
            ...(effect.taskId ? { taskId: effect.taskId } : {}),
            ...(effect.level ? { level: effect.level } : {}),
            createdAt: now(),
          },
        ]);
        return;
      }
      case 'report': {
        const report = progressReport(state, now());
        const title =
          effect.report === 'closing'
            ? vi.closingReportTitle(definition.unitName)
            : vi.checkInReportTitle(definition.unitName, effect.at, congress.timeZone);
        await files.writeReport.executeWithOptions({ ...activityOptions, summary: vi.activity.report(effect.report) }, [
          {
            workflowId,
            key: effect.key,
            title,
            report,
            markdown: reportMarkdown(title, report, congress.timeZone),
            ...(fewerEvents ? { planState: state } : {}),
          },
        ]);
        return;
      }
      case 'audit-segment':
        // Never given up: these entries exist nowhere else once the effect is done.
        await files.archiveAuditSegment.executeWithOptions(
          {
            ...activityOptions,
            retry: archiveRetry,
            summary: vi.activity.archiveSegment(effect.key),
          },
          [{ workflowId, key: effect.key, entries: effect.entries }],
        );
        return;
      case 'comment-segment': {
        const title = vi.archivedCommentsTitle(definition.unitName, effect.key);
        await files.writeReport.executeWithOptions(
          { ...activityOptions, retry: archiveRetry, summary: vi.activity.archiveSegment(effect.key) },
          [
            {
              workflowId,
              key: effect.key,
              title,
              report: { comments: effect.comments },
              markdown: vi.commentsMarkdown(title, effect.comments, congress.timeZone),
              ...(fewerEvents ? { planState: state } : {}),
            },
          ],
        );
        return;
      }
      case 'archive':
        await files.archivePlan.executeWithOptions({ ...activityOptions, summary: vi.activity.archivePlan }, [
          { workflowId, state },
        ]);
        return;
      case 'task-completed':
        if (parentId) {
          await wf.getExternalWorkflowHandle(parentId).signal(congressSignals.taskCompleted, {
            unitCode: definition.unitCode,
            taskId: effect.taskId,
            at: effect.at,
          });
        }
        return;
      case 'dependency-wanted':
        if (parentId) {
          await wf
            .getExternalWorkflowHandle(parentId)
            .signal(congressSignals.dependencyWanted, { unitCode: definition.unitCode, ref: effect.ref });
        }
        return;
    }
  }

  async function flushOutbox(): Promise<void> {
    while (state.outbox.length > 0) {
      const batch = state.outbox.slice(0, EFFECT_BATCH);
      await Promise.all(
        batch.map(async (effect) => {
          try {
            await perform(effect);
          } catch (err) {
            if (wf.isCancellation(err)) throw err;
            // Audit entries go back into the state rather than be lost; the next turn tries to archive them again.
            if (effect.kind === 'audit-segment') state.audit.unshift(...effect.entries);
            audit(
              state,
              { actor: SYSTEM_ACTOR, action: 'effect.failed', target: effect.key, reason: String(err) },
              now(),
            );
          }
        }),
      );
      const done = new Set(batch.map((e) => e.key));
      state.outbox = state.outbox.filter((e) => !done.has(e.key));
    }
  }

  function publish(summary: PlanSummary): void {
    const pending = [
      ...summary.pendingApprovalGroups.map((g) => `group:${g}`),
      ...summary.pendingApprovers.map((id) => `approver:${id}`),
    ];
    const attributes: SearchAttributeUpdatePair[] = [
      { key: SA.status, value: summary.status },
      { key: SA.phase, value: summary.phase },
      { key: SA.overdueCount, value: summary.overdueCount },
      { key: SA.escalationLevel, value: summary.highestEscalationLevel },
      { key: SA.nextDeadline, value: summary.nextDeadline !== undefined ? new Date(summary.nextDeadline) : null },
      {
        key: SA.contingency,
        value: summary.activeContingencies.length > 0 ? summary.activeContingencies.join(',') : null,
      },
      { key: SA.assignees, value: summary.assignees },
      { key: SA.agencies, value: summary.agencies },
      { key: SA.pendingApprovals, value: pending },
      ...(outbox ? [{ key: SA.failedDeliveries, value: summary.failedDeliveries ?? 0 }] : []),
    ];
    const fingerprint = JSON.stringify(attributes.map((a) => a.value));
    if (fingerprint !== lastSearchAttributes) {
      wf.upsertSearchAttributes(attributes);
      lastSearchAttributes = fingerprint;
    }
    wf.setCurrentDetails(currentDetails(state, now(), summary));
  }

  /** What the congress is told about: a change in any of these sends a new progress signal. */
  function progressFingerprint(summary: PlanSummary): string {
    if (reportsWhenItMatters) return progressReportKey(summary);
    const { status, done, total, overdueCount, highestEscalationLevel, activeContingencies } = summary;
    return JSON.stringify([status, done, total, overdueCount, highestEscalationLevel, activeContingencies]);
  }

  async function reportProgressToCongress(summary: PlanSummary): Promise<void> {
    if (!parentId) return;
    const fingerprint = progressFingerprint(summary);
    if (fingerprint === lastSentProgress) return;
    try {
      await wf.getExternalWorkflowHandle(parentId).signal(congressSignals.planProgress, summary);
      lastSentProgress = fingerprint;
    } catch (err) {
      // The congress may have ended (or been terminated by ops): the plan carries on regardless.
      if (wf.isCancellation(err)) throw err;
      wf.log.warn('progress not delivered to the congress', { parentId, error: String(err) });
    }
  }

  function shouldContinueAsNew(): boolean {
    const info = wf.workflowInfo();
    const limit = input.options?.continueAsNewAfterEvents;
    return info.continueAsNewSuggested || (limit !== undefined && info.historyLength >= limit);
  }

  /** The loop of plans started before the outbox (kept as it was, so that their histories replay). */
  async function legacyLoop(): Promise<void> {
    for (;;) {
      advance(state, now());
      await flushOutbox();
      const summary = planSummary(state, now());
      publish(summary);
      await reportProgressToCongress(summary);
      if (state.status === 'closed' || state.status === 'stopped') {
        if (state.outbox.length === 0) break;
        continue;
      }
      if (shouldContinueAsNew()) {
        await wf.condition(wf.allHandlersFinished);
        await wf.continueAsNew<typeof unitPlanWorkflow>({
          kind: 'resume',
          state,
          lastSentProgress,
          options: input.options,
        });
      }
      woken = false;
      const wake = nextWakeAfter(state, now());
      const wakeUp = () => woken || state.outbox.length > 0;
      if (wake === undefined) await wf.condition(wakeUp);
      else {
        await wf.condition(wakeUp, Math.max(1, wake - now()), {
          summary: `next due ${new Date(wake).toISOString()}`,
        });
      }
    }
  }

  // ---------------------------------------------------------------------------------------------------------
  // The outbox loop: effects never hold the clock.

  /** Keys of outbox effects being carried out in this run (a new run starts them again: keys keep it safe). */
  const inFlight = new Set<string>();
  let progressInFlight = false;
  let timer: { at: number; scope: wf.CancellationScope } | undefined;

  /** Takes settled effects out of the outbox and wakes the loop (to publish, and to start what is left). */
  function settle(keys: string[]): void {
    const settled = new Set(keys);
    state.outbox = state.outbox.filter((e) => !settled.has(e.key));
    for (const key of keys) inFlight.delete(key);
    woken = true;
  }

  function failureText(err: unknown): string {
    const cause = err instanceof wf.ActivityFailure && err.cause ? err.cause : err;
    return cause instanceof Error ? cause.message : String(cause);
  }

  const noticeKey = (effect: Effect) => `${workflowId}/${effect.key}`;

  /** Every notice of this wake-up in one activity; each keeps its own idempotency key. */
  async function deliverNotices(notices: Array<Extract<Effect, { kind: 'notify' }>>): Promise<void> {
    const byKey = new Map(notices.map((n) => [noticeKey(n), n]));
    try {
      const result = await activities.deliverNotifications.executeWithOptions(
        {
          ...activityOptions,
          summary: vi.activity.notices(
            notices.length,
            notices.map((n) => n.event),
          ),
        },
        [
          {
            notices: notices.map((effect) => ({
              idempotencyKey: noticeKey(effect),
              workflowId,
              congressId: state.congress.id,
              unitCode: state.definition.unitCode,
              event: effect.event,
              subject: effect.subject,
              text: effect.text,
              recipients: effect.recipients,
              ...(effect.taskId ? { taskId: effect.taskId } : {}),
              ...(effect.level ? { level: effect.level } : {}),
              createdAt: now(),
            })),
          },
        ],
      );
      for (const { key, error } of result.rejected) {
        const effect = byKey.get(key);
        if (effect) recordFailedDelivery(state, effect, error, now());
      }
    } catch (err) {
      if (wf.isCancellation(err)) return;
      // The last attempt's progress says which notices did go out.
      const cause = err instanceof wf.ActivityFailure ? err.cause : undefined;
      const progress = (cause instanceof wf.ApplicationFailure ? cause.details?.[0] : undefined) as
        | { delivered?: string[] }
        | undefined;
      const delivered = new Set(progress?.delivered ?? []);
      for (const [key, effect] of byKey) {
        if (!delivered.has(key)) recordFailedDelivery(state, effect, failureText(err), now());
      }
    } finally {
      settle(notices.map((n) => n.key));
    }
  }

  async function carryOut(effect: Effect): Promise<void> {
    try {
      await perform(effect);
    } catch (err) {
      if (wf.isCancellation(err)) return;
      // Audit entries go back into the state rather than be lost; the next turn tries to archive them again.
      if (effect.kind === 'audit-segment') state.audit.unshift(...effect.entries);
      else if (effect.kind === 'comment-segment') state.comments.unshift(...effect.comments);
      recordFailedDelivery(state, effect, failureText(err), now());
    } finally {
      settle([effect.key]);
    }
  }

  function startEffects(): void {
    const fresh = state.outbox.filter((e) => !inFlight.has(e.key));
    if (fresh.length === 0) return;
    for (const effect of fresh) inFlight.add(effect.key);
    const notices = fresh.filter((e): e is Extract<Effect, { kind: 'notify' }> => e.kind === 'notify');
    if (notices.length > 0) void deliverNotices(notices);
    for (const effect of fresh) if (effect.kind !== 'notify') void carryOut(effect);
  }

  /** Tells the congress how the plan is doing, without waiting; one signal at a time, the latest summary. */
  function sendProgress(summary: PlanSummary): void {
    if (!parentId || progressInFlight) return;
    const fingerprint = progressFingerprint(summary);
    if (fingerprint === lastSentProgress) return;
    progressInFlight = true;
    wf.getExternalWorkflowHandle(parentId)
      .signal(congressSignals.planProgress, summary)
      .catch((err: unknown) => {
        // The congress may have ended (or been terminated by ops): the plan carries on regardless.
        if (!wf.isCancellation(err))
          wf.log.warn('progress not delivered to the congress', { parentId, error: String(err) });
      })
      .finally(() => {
        lastSentProgress = fingerprint;
        progressInFlight = false;
        woken = true;
      });
  }

  /** One durable timer for the next moment due, re-armed only when that moment changes. */
  function armTimer(at: number | undefined): void {
    if (timer?.at === at) return;
    timer?.scope.cancel();
    timer = undefined;
    if (at === undefined) return;
    const scope = new wf.CancellationScope();
    const armed = { at, scope };
    timer = armed;
    scope
      .run(() => wf.sleep(Math.max(1, at - now()), { summary: wakeSummary(state, now(), at) }))
      .then(
        () => {
          if (timer === armed) timer = undefined;
          woken = true;
        },
        () => undefined, // cancelled: a newer timer took its place
      );
  }

  async function outboxLoop(): Promise<void> {
    for (;;) {
      // Reset before the turn's work, never after an await: whatever arrives from here on wakes the next turn.
      woken = false;
      const at = now();
      advance(state, at);
      const summary = planSummary(state, at);
      publish(summary);
      const finished = state.status === 'closed' || state.status === 'stopped';
      const continuing = !finished && shouldContinueAsNew() && planHas('continueAsNewWithoutEffects');
      if (!continuing) {
        sendProgress(summary);
        startEffects();
      }
      if (finished) {
        armTimer(undefined);
        if (state.outbox.length === 0 && !progressInFlight) return;
      } else if (continuing || shouldContinueAsNew()) {
        // What earlier turns started may finish in this run, but only briefly: a receiver that is down must not
        // hold the clock. An activity still waiting for a worker when the run ends would never start.
        if (continuing) await wf.condition(() => inFlight.size === 0 && !progressInFlight, SETTLE_BEFORE_CONTINUING);
        await wf.condition(wf.allHandlersFinished);
        await wf.continueAsNew<typeof unitPlanWorkflow>({
          kind: 'resume',
          state,
          lastSentProgress,
          options: input.options,
        });
      } else {
        armTimer(nextWakeAt(state, at));
      }
      await wf.condition(() => woken);
    }
  }

  if (outbox) await outboxLoop();
  else await legacyLoop();

  await wf.condition(wf.allHandlersFinished);
  return { unitCode: state.definition.unitCode, status: state.status, report: progressReport(state, now()) };
}
