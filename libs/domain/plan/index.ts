/**
 * The plan engine, one module per capability (tasks, approvals, contingencies, escalation and reminders,
 * check-ins, schedule, audit, audiences, views), each with its commands and what it has due; the command
 * registry (commands.ts) and the clock (clock.ts) are built from them.
 */
export * from './types';
export * from './state';
export * from './audiences';
export * from './schedule';
export * from './tasks';
export {
  due as approvalsDue,
  approvalCommands,
  approvalsRequired,
  mayDecide,
  openApproval,
  quorumOutcome,
  recordRefusedDecision,
  withdrawApproval,
} from './approvals';
export * from './contingencies';
export { due as escalationDue, escalationCommands, escalationStepAt } from './escalation';
export { due as checkInsDue } from './check-ins';
export * from './audit';
export * from './commands';
export * from './clock';
export * from './views';
export * from './delivery';
