/** Who is told: the people behind each escalation audience, the unit's leadership, the approvers. */
import type { EscalationAudience, Person, PlanState, TaskState } from '../model';
import { findAgency, person } from './state';

export function isPerson(p: Person | undefined): p is Person {
  return p !== undefined;
}

export function uniquePeople(people: Person[]): Person[] {
  const seen = new Set<string>();
  return people.filter((p) => (seen.has(p.id) ? false : (seen.add(p.id), true)));
}

export function audienceOf(state: PlanState, task: TaskState, audience: EscalationAudience): Person[] {
  const people = state.congress.people;
  switch (audience) {
    case 'assignee':
      return [person(state, task.escalation?.acknowledgedBy ?? task.responsible)].filter(isPerson);
    case 'leadAgencyHead':
      return [person(state, findAgency(state, task.leadAgency)?.head)].filter(isPerson);
    case 'unitLead':
      return [person(state, state.definition.unitLead)].filter(isPerson);
    case 'standingSection':
      return people.standingSection ?? [];
    case 'head':
      return [people.head];
  }
}

/** Everyone behind a list of audiences, each person once. */
export function audiencesOf(state: PlanState, task: TaskState, audiences: readonly EscalationAudience[]): Person[] {
  return uniquePeople(audiences.flatMap((a) => audienceOf(state, task, a)));
}

/** The unit lead and the standing section, and the head of the subcommittee when asked. */
export function unitLeadership(state: PlanState, options: { withHead: boolean }): Person[] {
  return uniquePeople([
    ...[person(state, state.definition.unitLead)].filter(isPerson),
    ...(state.congress.people.standingSection ?? []),
    ...(options.withHead ? [state.congress.people.head] : []),
  ]);
}

/** The head of the subcommittee and the standing section: who hears of a missed decision deadline. */
export function headAndStandingSection(state: PlanState): Person[] {
  return uniquePeople([state.congress.people.head, ...(state.congress.people.standingSection ?? [])]);
}

export function approverIds(state: PlanState): string[] {
  return state.definition.approvalPolicy.approvers ?? state.congress.people.standingCommittee.map((p) => p.id);
}
