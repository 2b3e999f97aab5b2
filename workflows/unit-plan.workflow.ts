/**
 * One support unit's plan, alive for months: a thin loop around the plan engine in libs/domain.
 *
 * Each turn brings the plan up to workflow time (`advance`), carries out queued effects through activities,
 * publishes search attributes and current details, then arms one durable timer to the next moment anything
 * is due, woken early by any update or signal. Continue-as-new carries the whole state when the SDK
 * suggests it. Relative imports only: the workflow bundler does not read tsconfig paths.
 */
import type { SearchAttributeUpdatePair, UpdateDefinition } from '@temporalio/common';
import * as wf from '@temporalio/workflow';
import type { Activities } from '../activities';
import {
  SA,
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
  advance,
  applyCommand,
  approvalView,
  audit,
  checkCommand,
  createPlanState,
  currentDetails,
  formatLocal,
  nextWakeAt,
  orderedTasks,
  overdueTasks,
  pendingApprovals,
  planSummary,
  progressReport,
  reportMarkdown,
  taskView,
  timeline,
  type Effect,
  type PlanCommand,
  type PlanState,
  type PlanSummary,
} from '../libs/domain';
import { recordingExternalCancellation } from './external-cancellation';
import { toApplicationFailure } from './failures';
import { planRules } from './versions';

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

/** Effects carried out at once, in parallel; the rest wait for the next batch. */
const EFFECT_BATCH = 20;

export function unitPlanWorkflow(input: UnitPlanInput): Promise<UnitPlanResult> {
  return recordingExternalCancellation((seeState) => runPlan(input, seeState));
}

async function runPlan(input: UnitPlanInput, seeState: (state: PlanState) => void): Promise<UnitPlanResult> {
  const now = () => Date.now();
  let state: PlanState;
  try {
    state =
      input.kind === 'start'
        ? createPlanState(input.congress, input.plan, now(), { watchedTasks: input.watchedTasks })
        : input.state;
  } catch (err) {
    throw toApplicationFailure(err);
  }
  state.rules = planRules({ auditKeptInState: input.options?.auditKeptInState });
  seeState(state);
  const workflowId = wf.workflowInfo().workflowId;
  const parentId = wf.workflowInfo().parent?.workflowId;
  let lastSentProgress = input.kind === 'resume' ? input.lastSentProgress : undefined;
  let lastSearchAttributes = '';
  let woken = false;

  // Handlers first, before any await, so that no message arriving with the first task is missed.
  for (const type of PLAN_COMMAND_TYPES) {
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
          woken = true; // a refused decision is recorded in the audit log
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

  wf.setHandler(
    planCommandSignal,
    (command) => {
      try {
        applyCommand(state, command, now());
      } catch (err) {
        const message = err instanceof DomainError ? `${err.code}: ${err.message}` : String(err);
        audit(
          state,
          { actor: command.actor ?? SYSTEM_ACTOR, action: 'command.failed', target: command.type, reason: message },
          now(),
        );
      }
      woken = true;
    },
    { description: 'A command relayed by the congress (fire-and-forget; a refusal goes to the audit log)' },
  );

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
            ? `Báo cáo tổng kết — ${definition.unitName}`
            : `Báo cáo giao ban ${formatLocal(effect.at, congress.timeZone)} — ${definition.unitName}`;
        await activities.writeReport.executeWithOptions({ ...activityOptions, summary: `${effect.report} report` }, [
          { workflowId, key: effect.key, title, report, markdown: reportMarkdown(title, report, congress.timeZone) },
        ]);
        return;
      }
      case 'audit-segment':
        // Never given up: these entries exist nowhere else once the effect is done.
        await activities.archiveAuditSegment.executeWithOptions(
          {
            ...activityOptions,
            retry: archiveRetry,
            summary: `archive ${effect.key}`,
          },
          [{ workflowId, key: effect.key, entries: effect.entries }],
        );
        return;
      case 'archive':
        await activities.archivePlan.executeWithOptions({ ...activityOptions, summary: 'archive plan' }, [
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
    ];
    const fingerprint = JSON.stringify(attributes.map((a) => a.value));
    if (fingerprint !== lastSearchAttributes) {
      wf.upsertSearchAttributes(attributes);
      lastSearchAttributes = fingerprint;
    }
    wf.setCurrentDetails(currentDetails(state, now(), summary));
  }

  async function reportProgressToCongress(summary: PlanSummary): Promise<void> {
    if (!parentId) return;
    const { status, done, total, overdueCount, highestEscalationLevel, activeContingencies } = summary;
    const fingerprint = JSON.stringify([
      status,
      done,
      total,
      overdueCount,
      highestEscalationLevel,
      activeContingencies,
    ]);
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
    const wake = nextWakeAt(state, now());
    const wakeUp = () => woken || state.outbox.length > 0;
    if (wake === undefined) await wf.condition(wakeUp);
    else {
      await wf.condition(wakeUp, Math.max(1, wake - now()), {
        summary: `next due ${new Date(wake).toISOString()}`,
      });
    }
  }

  await wf.condition(wf.allHandlersFinished);
  return { unitCode: state.definition.unitCode, status: state.status, report: progressReport(state, now()) };
}
