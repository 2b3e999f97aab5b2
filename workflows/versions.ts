/**
 * Changes to workflow behaviour, each behind a patch, so that plans already running (for months) replay
 * their histories unchanged, and new runs get the new behaviour. Histories recorded before a patch live
 * under test/histories/ and are replayed in CI.
 *
 * To retire a patch once no run older than it is left: replace patched() with deprecatePatch(), then,
 * when those runs are gone too, remove it.
 */
import { patched } from '@temporalio/workflow';
import { DAY_MS, type PlanRules } from '../libs/domain';

export const PATCHES = {
  /** 2026-11: a task resuming after a contingency gets at least one day before its deadline. */
  resumeMinimumWindow: 'resume-minimum-window-v1',
  /** 2026-11: the state keeps the latest audit entries; older ones go to the archive in segments. */
  auditSegments: 'audit-segments-v1',
  /** 2026-11: a plan cancelled from outside the API (Temporal CLI or UI) records who and when, and archives itself. */
  externalCancellation: 'external-cancellation-v1',
} as const;

/** Audit entries a plan keeps in its state (the rest is in the archive): a few months of a busy plan. */
export const AUDIT_KEPT_IN_STATE = 2000;

/**
 * The plan rules of this workflow version; called once at the start of each run, before any command.
 * `overrides` come from the run options (tests and ops), and only apply where the rule's patch does.
 */
export function planRules(overrides: { auditKeptInState?: number } = {}): PlanRules {
  return {
    ...(patched(PATCHES.resumeMinimumWindow) ? { minimumResumeWindowMs: DAY_MS } : {}),
    ...(patched(PATCHES.auditSegments) ? { auditKeptInState: overrides.auditKeptInState ?? AUDIT_KEPT_IN_STATE } : {}),
  };
}
