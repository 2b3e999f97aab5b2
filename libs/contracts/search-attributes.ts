/**
 * Custom search attributes: what ops staff filter on in the Temporal UI and what the API lists plans by.
 * Registered at start: by the dev server's --search-attribute flags, and through the operator API on a cluster.
 */
import { defineSearchAttributeKey, SearchAttributeType, type SearchAttributePair } from '@temporalio/common';

export const SA = {
  congress: defineSearchAttributeKey('TminusCongress', SearchAttributeType.KEYWORD),
  unit: defineSearchAttributeKey('TminusUnit', SearchAttributeType.KEYWORD),
  kind: defineSearchAttributeKey('TminusKind', SearchAttributeType.KEYWORD),
  status: defineSearchAttributeKey('TminusStatus', SearchAttributeType.KEYWORD),
  phase: defineSearchAttributeKey('TminusPhase', SearchAttributeType.KEYWORD),
  overdueCount: defineSearchAttributeKey('TminusOverdueCount', SearchAttributeType.INT),
  nextDeadline: defineSearchAttributeKey('TminusNextDeadline', SearchAttributeType.DATETIME),
  escalationLevel: defineSearchAttributeKey('TminusEscalationLevel', SearchAttributeType.INT),
  /** Deliveries that failed for good (an Int: SQL visibility allows only three keyword lists, all in use). */
  failedDeliveries: defineSearchAttributeKey('TminusFailedDeliveries', SearchAttributeType.INT),
  /** Active contingency scenarios, comma-joined (a Keyword: SQL visibility allows only three keyword lists). */
  contingency: defineSearchAttributeKey('TminusContingency', SearchAttributeType.KEYWORD),
  assignees: defineSearchAttributeKey('TminusAssignees', SearchAttributeType.KEYWORD_LIST),
  agencies: defineSearchAttributeKey('TminusAgencies', SearchAttributeType.KEYWORD_LIST),
  /** `group:<approver group>` and `approver:<person id>` for every approval still waiting on someone. */
  pendingApprovals: defineSearchAttributeKey('TminusPendingApprovals', SearchAttributeType.KEYWORD_LIST),
} as const;

export const ALL_SEARCH_ATTRIBUTES = Object.values(SA);

/** Temporal's names for the types, as the CLI's `--search-attribute Name=Type` flag expects them. */
const CLI_TYPE_NAMES: Record<SearchAttributeType, string> = {
  [SearchAttributeType.TEXT]: 'Text',
  [SearchAttributeType.KEYWORD]: 'Keyword',
  [SearchAttributeType.INT]: 'Int',
  [SearchAttributeType.DOUBLE]: 'Double',
  [SearchAttributeType.BOOL]: 'Bool',
  [SearchAttributeType.DATETIME]: 'Datetime',
  [SearchAttributeType.KEYWORD_LIST]: 'KeywordList',
};

/** What a congress workflow is started with (by the API), so that ops find it by congress and kind. */
export function congressStartSearchAttributes(congressId: string): SearchAttributePair[] {
  return [
    { key: SA.congress, value: congressId },
    { key: SA.kind, value: 'congress' },
  ];
}

/** What a plan workflow is started with (by its congress), so that ops find it by congress, unit and kind. */
export function planStartSearchAttributes(congressId: string, unitCode: string): SearchAttributePair[] {
  return [
    { key: SA.congress, value: congressId },
    { key: SA.unit, value: unitCode },
    { key: SA.kind, value: 'plan' },
  ];
}

export function devServerSearchAttributeFlags(): string[] {
  return ALL_SEARCH_ATTRIBUTES.flatMap((key) => ['--search-attribute', `${key.name}=${CLI_TYPE_NAMES[key.type]}`]);
}
