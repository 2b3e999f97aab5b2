/**
 * Workflow IDs from the business key, readable in the Temporal UI: `congress/<congress>` and
 * `plan/<congress>/<UNIT>`. One plan per unit per congress is enforced by the ID itself.
 */
export function congressWorkflowId(congressId: string): string {
  return `congress/${congressId}`;
}

export function planWorkflowId(congressId: string, unitCode: string): string {
  return `plan/${congressId}/${unitCode}`;
}

export function parsePlanWorkflowId(workflowId: string): { congressId: string; unitCode: string } | undefined {
  const match = /^plan\/([^/]+)\/([^/]+)$/.exec(workflowId);
  return match ? { congressId: match[1], unitCode: match[2] } : undefined;
}
