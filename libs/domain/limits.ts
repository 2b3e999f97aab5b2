/**
 * How long each piece of text may be, and how many items each list may hold: one table, used by the domain
 * (every definition and command is checked against it) and by the API's DTOs. They keep a plan's state well
 * within its budget (see `stateBudgetBytes` in PlanRules).
 */
import type { ValidationIssue } from './errors';

export const TEXT_LIMITS = {
  /** Ids of people, tasks, groups; codes are shorter (see the patterns in validation.ts). */
  id: 64,
  code: 32,
  /** Names of congresses, units, agencies, groups, scenarios, people; a person's title. */
  name: 300,
  taskTitle: 500,
  deliverable: 500,
  documentNumber: 100,
  description: 2000,
  email: 254,
  due: 100,
  duration: 32,
  reason: 1000,
  note: 1000,
  /** A decision's comment. */
  decisionComment: 2000,
  /** A written comment on the draft. */
  commentText: 5000,
} as const;

export const LIST_LIMITS = {
  people: 500,
  agencies: 200,
  groups: 200,
  scenarios: 50,
  reminders: 10,
  escalationSteps: 10,
  coordinatingAgencies: 30,
  dependsOn: 50,
  suspends: 1000,
} as const;

/** An issue when `value` is a string longer than `limit` characters. */
export function textTooLong(value: unknown, limit: number, path: string): ValidationIssue[] {
  return typeof value === 'string' && value.length > limit
    ? [{ path, message: `must be at most ${limit} characters (got ${value.length})` }]
    : [];
}

/** An issue when `value` is a list longer than `limit` items. */
export function listTooLong(value: unknown, limit: number, path: string): ValidationIssue[] {
  return Array.isArray(value) && value.length > limit
    ? [{ path, message: `must hold at most ${limit} items (got ${value.length})` }]
    : [];
}
