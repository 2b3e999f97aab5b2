/**
 * The command registry: every command of every capability, its `check` and `apply`, and what all commands
 * share: the actor, the reason, idempotent retries (request ids remembered for a window of time), a state
 * budget, and all-or-nothing application (a refused command leaves the state exactly as it was).
 */
import { DomainError, invalidInput, type ValidationIssue } from '../errors';
import { replayOf } from '../idempotency';
import { TEXT_LIMITS, textTooLong } from '../limits';
import { agencyLimitIssues } from '../validation';
import type { PlanState } from '../model';
import { approvalCommands } from './approvals';
import { checkInCommands } from './check-ins';
import { recordCommands } from './audit';
import { contingencyCommands } from './contingencies';
import { escalationCommands } from './escalation';
import { requireActive, scheduleCommands } from './schedule';
import { taskCommands } from './tasks';
import type { CommandHandler, CommandHandlers, CommandResult, PlanCommand, PlanCommandType } from './types';

export const PLAN_COMMANDS: CommandHandlers<PlanCommandType> = {
  ...taskCommands,
  ...escalationCommands,
  ...approvalCommands,
  ...recordCommands,
  ...contingencyCommands,
  ...scheduleCommands,
  ...checkInCommands,
};

export const PLAN_COMMAND_TYPES: readonly PlanCommandType[] = [
  'reportProgress',
  'completeTask',
  'addTask',
  'editTask',
  'reassignTask',
  'reassignAgency',
  'changeDeadline',
  'waiveTask',
  'acknowledgeEscalation',
  'decide',
  'submitComment',
  'submitPlanForApproval',
  'requestContingency',
  'activateContingencyEmergency',
  'deactivateContingency',
  'moveCongressDay',
  'externalTaskCompleted',
  'watchTask',
  'congressContingency',
  'stopPlan',
  'checkInNow',
];

/** Commands people send (updates on the plan). */
export const USER_COMMAND_TYPES: readonly PlanCommandType[] = PLAN_COMMAND_TYPES.filter(
  (t) => !PLAN_COMMANDS[t].system,
);
/** Commands only the congress relays (its own signal channel, never an update). */
export const SYSTEM_COMMAND_TYPES: readonly PlanCommandType[] = PLAN_COMMAND_TYPES.filter(
  (t) => PLAN_COMMANDS[t].system,
);

export function isSystemCommand(type: string): boolean {
  return SYSTEM_COMMAND_TYPES.includes(type as PlanCommandType);
}

/** How many request ids a plan started before the idempotency window remembers (the oldest go first). */
export const PROCESSED_REQUESTS_KEPT = 500;
/**
 * A ceiling on request ids remembered within the window, so that a burst cannot outgrow the state budget
 * (about 100 bytes each). Beyond it the oldest go first, even inside the window.
 */
export const MAX_REMEMBERED_REQUESTS = 3000;

/** UTF-8 bytes of a string (the workflow sandbox has no Buffer; TextEncoder is not guaranteed either). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** Size of the state as it travels in a payload (JSON, UTF-8). */
export function stateSize(state: PlanState): number {
  return utf8Length(JSON.stringify(state));
}

/** A 64-bit, non-cryptographic hash (two 32-bit FNV-1a lanes) as hex: tells a retry from another request. */
export function hashText(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 15);
  }
  return ((a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0')).slice(0, 16);
}

/**
 * What identifies a plan command's content, for telling a retry from a different request under a reused key.
 * Plans store it (hashed since the idempotency window), so it keeps this form rather than the congress's
 * `requestFingerprint`: a retry of a request a running plan already remembers must still be recognised.
 */
function commandFingerprint(command: PlanCommand): string {
  const content: Partial<PlanCommand> = { ...command };
  delete content.actor;
  delete content.requestId;
  return JSON.stringify([command.actor?.id, content]);
}

function forgetExpired(state: PlanState, now: number): void {
  const window = state.rules?.idempotencyWindowMs;
  if (window === undefined) return;
  const first = state.processedRequests.findIndex((r) => r.at === undefined || r.at > now - window);
  if (first > 0) state.processedRequests.splice(0, first);
  else if (first < 0) state.processedRequests.length = 0;
}

/**
 * The remembered result of a request already processed under the same id, or undefined. A request id reused
 * for a different request (another command, other content, another actor) is refused, not answered with the
 * first request's result. Under the idempotency window, ids older than the window are forgotten.
 */
export function previousResult(state: PlanState, command: PlanCommand, now?: number): CommandResult | undefined {
  if (!command.requestId) return undefined;
  const window = state.rules?.idempotencyWindowMs;
  const found = state.processedRequests.find(
    (r) =>
      r.id === command.requestId &&
      (window === undefined || now === undefined || r.at === undefined || r.at > now - window),
  );
  if (!found) return undefined;
  // Kept plain by plans started before the idempotency window, hashed since (see `remember`).
  const fingerprint = found.at === undefined ? commandFingerprint(command) : hashText(commandFingerprint(command));
  const remembered = { fingerprint: found.fingerprint ?? '', type: found.type, result: found.result as CommandResult };
  return replayOf(remembered, command.requestId, fingerprint);
}

function remember(state: PlanState, command: PlanCommand, result: CommandResult, now: number): void {
  if (!command.requestId) return;
  const window = state.rules?.idempotencyWindowMs;
  if (window === undefined) {
    state.processedRequests.push({
      id: command.requestId,
      type: command.type,
      fingerprint: commandFingerprint(command),
      result,
    });
    if (state.processedRequests.length > PROCESSED_REQUESTS_KEPT) state.processedRequests.shift();
    return;
  }
  forgetExpired(state, now);
  state.processedRequests.push({
    id: command.requestId,
    type: command.type,
    fingerprint: hashText(commandFingerprint(command)),
    result,
    at: now,
  });
  const excess = state.processedRequests.length - MAX_REMEMBERED_REQUESTS;
  if (excess > 0) state.processedRequests.splice(0, excess);
}

/** The longest text each field of a command may hold (nested definitions are checked by their own rules). */
const COMMAND_TEXT_LIMITS: Record<string, number> = {
  reason: TEXT_LIMITS.reason,
  note: TEXT_LIMITS.note,
  comment: TEXT_LIMITS.decisionComment,
  text: TEXT_LIMITS.commentText,
  title: TEXT_LIMITS.taskTitle,
  deliverable: TEXT_LIMITS.deliverable,
  due: TEXT_LIMITS.due,
  holdFor: TEXT_LIMITS.duration,
  requestId: 200,
  ref: TEXT_LIMITS.code + 1 + TEXT_LIMITS.id,
  startDate: 10,
  endDate: 10,
};

function commandLimitIssues(command: PlanCommand): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const [field, value] of Object.entries(command)) {
    if (field === 'type' || field === 'actor') continue;
    issues.push(...textTooLong(value, COMMAND_TEXT_LIMITS[field] ?? TEXT_LIMITS.id, field));
    if (Array.isArray(value))
      value.forEach((v, i) => issues.push(...textTooLong(v, TEXT_LIMITS.code, `${field}[${i}]`)));
  }
  if (command.type === 'reassignAgency' && command.newAgency)
    issues.push(...agencyLimitIssues(command.newAgency, 'newAgency'));
  return issues;
}

function fail(path: string, message: string): never {
  throw invalidInput([{ path, message }]);
}

function handlerOf(type: string): CommandHandler<PlanCommandType> {
  const handler = (PLAN_COMMANDS as Record<string, CommandHandler<PlanCommandType> | undefined>)[type];
  if (!handler) fail('type', `"${type}" is not a plan command`);
  return handler;
}

/**
 * Throws a DomainError if `command` cannot be applied to `state` at `now`; changes nothing. A decision by
 * someone outside the approver group passes this check on purpose: `applyCommand` refuses it, and the
 * workflow records the attempt (`recordRefusedDecision`).
 */
export function checkCommand(state: PlanState, command: PlanCommand, now: number): void {
  if (previousResult(state, command, now)) return;
  const handler = handlerOf(command?.type);
  if (!command.actor?.id) fail('actor', 'is required');
  const tooLong = commandLimitIssues(command);
  if (tooLong.length > 0) throw invalidInput(tooLong);
  if (handler.reasonRequired && !command.reason?.trim()) fail('reason', 'is required for changes to the plan');
  if (!handler.system?.appliesWhenClosed) requireActive(state, command.type);
  handler.check(state, command as never, now);
}

function restore(state: PlanState, snapshot: string): void {
  const before = JSON.parse(snapshot) as PlanState;
  for (const key of Object.keys(state)) delete (state as unknown as Record<string, unknown>)[key];
  Object.assign(state, before);
}

/**
 * Applies a command (after `checkCommand`) and returns its result, all or nothing: if anything refuses it,
 * the state is put back exactly as it was. Remembers the result under the command's request id, so that a
 * retry returns it again without applying twice. Under a state budget, a command that would leave the state
 * larger than the budget is refused with STATE_BUDGET_EXCEEDED.
 */
export function applyCommand(state: PlanState, command: PlanCommand, now: number): CommandResult {
  const previous = previousResult(state, command, now);
  if (previous) return previous;
  checkCommand(state, command, now);
  const snapshot = JSON.stringify(state);
  try {
    const result = handlerOf(command.type).apply(state, command as never, now);
    remember(state, command, result, now);
    const budget = state.rules?.stateBudgetBytes;
    if (budget !== undefined) {
      const size = stateSize(state);
      if (size > budget) {
        throw new DomainError(
          'STATE_BUDGET_EXCEEDED',
          `the plan's state would grow to ${size} bytes, over its budget of ${budget} bytes (STATE_BUDGET_BYTES); ` +
            'shorten the text or remove what is no longer needed',
          [{ path: command.type, message: `state budget of ${budget} bytes exceeded` }],
        );
      }
    }
    return result;
  } catch (err) {
    restore(state, snapshot);
    throw err;
  }
}
