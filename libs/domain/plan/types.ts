/**
 * What every capability module exports: its commands (each a `check` that changes nothing and an `apply`)
 * and `due(state, now)`, the moments it has something to do. The clock and the command registry are built
 * from these, so each rule of timing is written once, beside the capability it belongs to.
 */
import type { Actor, Agency, PlanState, TaskDefinition } from '../model';

export interface CommandBase {
  /** Who does it: taken from the caller's token, never from a request body. */
  actor: Actor;
  /** Why: required for changes to the plan itself. */
  reason?: string;
  /** Idempotency key: a command with a request id already processed returns the first result. */
  requestId?: string;
}

export interface PlanCommands {
  reportProgress: { taskId: string; progress: number; note?: string };
  completeTask: { taskId: string; note?: string };
  addTask: { task: TaskDefinition };
  editTask: {
    taskId: string;
    title?: string;
    responsible?: string;
    coordinatingAgencies?: string[];
    budgetVnd?: number;
    deliverable?: string;
    requiresApproval?: boolean;
  };
  reassignTask: { taskId: string; leadAgency?: string; responsible?: string };
  reassignAgency: { fromAgency: string; toAgency: string; newAgency?: Agency };
  changeDeadline: { taskId: string; due: string };
  waiveTask: { taskId: string };
  acknowledgeEscalation: { taskId: string; holdFor: string };
  decide: { approvalId: string; decision: 'approve' | 'reject'; comment?: string };
  submitComment: { text: string };
  submitPlanForApproval: Record<never, never>;
  requestContingency: { scenario: string };
  activateContingencyEmergency: { scenario: string };
  deactivateContingency: { scenario: string };
  moveCongressDay: { startDate: string; endDate: string };
  externalTaskCompleted: { ref: string; at: number };
  watchTask: { taskId: string };
  /** A congress-wide scenario decided at congress level: applies without a plan-level approval. */
  congressContingency: { scenario: string; active: boolean };
  stopPlan: Record<never, never>;
  /** A check-in report now, for an extraordinary meeting (the reason says which). */
  checkInNow: Record<never, never>;
}

export type PlanCommandType = keyof PlanCommands;
export type PlanCommandOf<T extends PlanCommandType> = CommandBase & PlanCommands[T];
export type PlanCommand = { [T in PlanCommandType]: { type: T } & PlanCommandOf<T> }[PlanCommandType];

export interface CommandResult {
  ok: true;
  /** What the command created or touched, e.g. the approval id a completion opened. */
  approvalId?: string;
  taskId?: string;
  status?: string;
  /** Set when the result is the remembered answer to an earlier request with the same id. */
  replayed?: boolean;
}

/** One command of a capability. `check` throws a DomainError and never changes the state. */
export interface CommandHandler<T extends PlanCommandType> {
  check(state: PlanState, command: PlanCommandOf<T>, now: number): void;
  apply(state: PlanState, command: PlanCommandOf<T>, now: number): CommandResult;
  /** A change to the plan itself: the command must say why. */
  reasonRequired?: boolean;
  /**
   * Relayed by the congress (never a user's update). `appliesWhenClosed` ones still apply to a finished plan
   * (as no-ops), so that relays never fail.
   */
  system?: { appliesWhenClosed: boolean };
}

export type CommandHandlers<K extends PlanCommandType> = { [T in K]: CommandHandler<T> };

/** A moment a capability has something to do, and what. */
export interface DueMoment {
  at: number;
  /** For logs and tests: `escalation TT-01 level 2`, `check-in`, … */
  what: string;
  /** The same in Vietnamese for people (the timer's summary in the Temporal UI): `Cảnh báo cấp 2 TT-01`. */
  label: string;
  /**
   * Does it: changes the state and queues effects. It re-checks its own condition, so firing a moment that
   * another one made moot does nothing. Moments without `fire` only change what views show (a deadline
   * passing), and are listed only while in the future.
   */
  fire?: (state: PlanState, now: number) => void;
}
