/**
 * The plan's record: the audit log and the draft's written comments. Both keep their latest entries in the
 * state and move older ones to the archive, so that a plan can live for months within its state budget.
 */
import { invalidInput } from '../errors';
import type { Comment, PlanState } from '../model';
import { audit } from '../transitions';
import { queue } from './state';
import type { CommandHandlers } from './types';

/** Most audit entries moved out of the state in one segment. */
export const AUDIT_SEGMENT_SIZE = 500;
/** Most written comments moved out of the state in one segment (how many stay is a rule of the plan). */
export const COMMENT_SEGMENT_SIZE = 10;

const pad = (n: number) => String(n).padStart(7, '0');

/**
 * Keeps the state's audit log to `rules.auditKeptInState` entries (plus less than one segment): older entries
 * go, in segments, into effects that write them to the archive. They stay in the state (in the outbox) until
 * written, so nothing is lost if the worker stops meanwhile.
 */
export function archiveOldAudit(state: PlanState): void {
  const kept = state.rules?.auditKeptInState;
  if (kept === undefined) return;
  const segment = Math.max(1, Math.min(AUDIT_SEGMENT_SIZE, kept));
  while (state.audit.length >= kept + segment) {
    const entries = state.audit.splice(0, segment);
    queue(state, {
      kind: 'audit-segment',
      key: `audit-${pad(entries[0].seq)}-${pad(entries[entries.length - 1].seq)}`,
      entries,
    });
  }
}

/** The same for written comments, under `rules.commentsKeptInState`; `commentsArchived` counts those moved. */
export function archiveOldComments(state: PlanState): void {
  const kept = state.rules?.commentsKeptInState;
  if (kept === undefined) return;
  const segment = Math.max(1, Math.min(COMMENT_SEGMENT_SIZE, kept));
  while (state.comments.length >= kept + segment) {
    const from = (state.commentsArchived ?? 0) + 1;
    const comments: Comment[] = state.comments.splice(0, segment);
    state.commentsArchived = from - 1 + comments.length;
    queue(state, {
      kind: 'comment-segment',
      key: `comments-${pad(from)}-${pad(state.commentsArchived)}`,
      comments,
    });
  }
}

/** Moves what is beyond the counts to the archive; the clock and the command registry call it after each change. */
export function archiveRecord(state: PlanState): void {
  archiveOldAudit(state);
  archiveOldComments(state);
}

export const recordCommands: CommandHandlers<'submitComment'> = {
  submitComment: {
    check(_state, command) {
      if (!command.text?.trim()) throw invalidInput([{ path: 'text', message: 'must not be empty' }]);
    },
    apply(state, command, now) {
      state.comments.push({ by: command.actor.id, byName: command.actor.name, at: now, text: command.text });
      audit(state, { actor: command.actor, action: 'plan.commented' }, now);
      return { ok: true, status: state.status };
    },
  },
};
