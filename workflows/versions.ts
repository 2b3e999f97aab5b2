/**
 * Changes to workflow behaviour, each behind a patch, so that plans already running (for months) replay
 * their histories unchanged, and new runs get the new behaviour. Histories recorded before a patch live
 * under test/histories/ and are replayed in CI.
 *
 * To retire a patch once no run older than it is left: replace patched() with deprecatePatch(), then,
 * when those runs are gone too, remove it.
 */
import { patched } from '@temporalio/workflow';
import { DAY_MS, IDEMPOTENCY_WINDOW_MS, type PlanRules } from '../libs/domain';

export const PATCHES = {
  /** 2026-11: a task resuming after a contingency gets at least one day before its deadline. */
  resumeMinimumWindow: 'resume-minimum-window-v1',
  /** 2026-11: the state keeps the latest audit entries; older ones go to the archive in segments. */
  auditSegments: 'audit-segments-v1',
  /** 2026-11: a plan added to a running congress makes the plans it depends on announce those tasks. */
  congressTellsOwners: 'congress-tells-owners-v1',
  /**
   * 2026-11 (issue 7): the plan engine by capability with one clock; delivery through an outbox that never
   * holds the clock (effects started without waiting, one notification activity per wake-up, failures
   * recorded); system commands only on the congress's relay channel; relative deadlines kept through
   * contingencies; comments archived beyond a count; request ids remembered for a time window; a state budget.
   */
  engineByCapability: 'engine-by-capability-v1',
  /** 2026-11: a plan cancelled from outside the API (Temporal CLI or UI) records who and when, and archives itself. */
  externalCancellation: 'external-cancellation-v1',
  /** 2026-11: Tết and Giỗ Tổ from the lunar computation (any year 2000–2099) instead of the 2020–2031 table. */
  lunarHolidays: 'lunar-holidays-v1',
  /** 2026-11: a congress starts its initial plans all at once, not one workflow task after another. */
  parallelPlanStarts: 'parallel-plan-starts-v1',
  /**
   * 2026-11: a turn that continues as new starts no deliveries and sends no progress, and first gives what earlier
   * turns started up to ten seconds to finish: an activity scheduled and not yet started when its run ends never
   * runs (the next run carries the outbox and starts it again).
   */
  continueAsNewWithoutEffects: 'continue-as-new-without-effects-v1',
  /**
   * 2026-11 (issue 7), fewer history events per plan, one patch (each costs a marker and a search attribute
   * upsert per run): a plan reports to its congress when its status, phase, overdue tasks, escalation,
   * contingencies or task count change (`progressReportKey`), no longer at each completion, the done count riding
   * along; reports and archives are written by local activities (files on the worker's disk, written in
   * milliseconds: one marker event instead of three activity events and a workflow task).
   */
  planFewerEvents: 'plan-fewer-events-v1',
  /** 2026-11 (issue 7): the congress upserts its search attributes only when their values change. */
  congressAttributesOnChange: 'congress-attributes-on-change-v1',
} as const;

/** Audit entries a plan keeps in its state (the rest is in the archive): a few months of a busy plan. */
export const AUDIT_KEPT_IN_STATE = 2000;
/**
 * Written comments a plan keeps in its state (older ones go to the archive, ten at a time): even at their
 * longest (5,000 characters, up to 15 kB in Vietnamese) they stay well inside the state budget.
 */
export const COMMENTS_KEPT_IN_STATE = 30;
/**
 * The largest state a command may leave, in UTF-8 bytes of JSON: half of Temporal's 2 MiB payload limit, so
 * that the state, with an update's payload and the outbox of a stalled receiver, always fits.
 */
export const STATE_BUDGET_BYTES = 1024 * 1024;

/**
 * The plan rules of this workflow version; called once at the start of each run, before any command.
 * `overrides` come from the run options (tests and ops), and only apply where the rule's patch does.
 */
export function planRules(
  overrides: { auditKeptInState?: number; commentsKeptInState?: number; stateBudgetBytes?: number } = {},
): PlanRules {
  return {
    ...(planHas('resumeMinimumWindow') ? { minimumResumeWindowMs: DAY_MS } : {}),
    ...(planHas('auditSegments') ? { auditKeptInState: overrides.auditKeptInState ?? AUDIT_KEPT_IN_STATE } : {}),
    ...(engineByCapability()
      ? {
          commentsKeptInState: overrides.commentsKeptInState ?? COMMENTS_KEPT_IN_STATE,
          relativeResumedDeadlines: true,
          idempotencyWindowMs: IDEMPOTENCY_WINDOW_MS,
          stateBudgetBytes: overrides.stateBudgetBytes ?? STATE_BUDGET_BYTES,
        }
      : {}),
    ...(planHas('lunarHolidays') ? {} : { legacyHolidayTable: true }),
  };
}

/** Whether this run follows the engine by capability and the delivery outbox (every run started after it). */
export function engineByCapability(): boolean {
  return planHas('engineByCapability');
}

/** The plan's patches older than plan-fewer-events-v1. */
type OlderPlanPatch =
  | 'resumeMinimumWindow'
  | 'auditSegments'
  | 'engineByCapability'
  | 'externalCancellation'
  | 'lunarHolidays'
  | 'continueAsNewWithoutEffects';

/**
 * Whether a plan's run has an older patch. A run started since plan-fewer-events-v1 has them all: it records that
 * one marker and is never asked the others (each patch asked costs the run a marker and a search attribute
 * upsert). Runs started before it are asked each one, as when they were recorded; asking plan-fewer-events-v1
 * first changes nothing for them, since a patch absent from a replayed history records nothing.
 */
export function planHas(patch: OlderPlanPatch): boolean {
  return patched(PATCHES.planFewerEvents) || patched(PATCHES[patch]);
}
