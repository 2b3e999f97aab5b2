/** Deliveries that failed for good: kept in the state (the latest ones), in the audit log and the summary. */
import { SYSTEM_ACTOR, type Effect, type PlanState } from '../model';
import { audit } from '../transitions';

/** Failed deliveries the state keeps (the audit log keeps every one). */
export const FAILED_DELIVERIES_KEPT = 100;

export function recordFailedDelivery(state: PlanState, effect: Effect, error: string, now: number): void {
  const failures = (state.failedDeliveries ??= []);
  failures.push({
    key: effect.key,
    kind: effect.kind,
    at: now,
    error: error.slice(0, 500),
    ...(effect.kind === 'notify' ? { event: effect.event, ...(effect.taskId ? { taskId: effect.taskId } : {}) } : {}),
  });
  if (failures.length > FAILED_DELIVERIES_KEPT) failures.splice(0, failures.length - FAILED_DELIVERIES_KEPT);
  audit(state, { actor: SYSTEM_ACTOR, action: 'effect.failed', target: effect.key, reason: error.slice(0, 500) }, now);
}
