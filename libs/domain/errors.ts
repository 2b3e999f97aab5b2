/**
 * Domain errors carry a machine-readable code so that the workflow can turn them into typed Temporal
 * failures and the API into HTTP status codes, without either parsing messages.
 */
export type DomainErrorCode =
  | 'INVALID_INPUT' // the command or plan is malformed (HTTP 400)
  | 'NOT_FOUND' // a task, approval or scenario that does not exist (HTTP 404)
  | 'INVALID_TRANSITION' // the thing exists but is not in a state that allows this (HTTP 409)
  | 'FORBIDDEN' // the actor may not do this in the domain's rules (HTTP 403)
  | 'STATE_BUDGET_EXCEEDED'; // the change would make the plan's state larger than its budget (HTTP 409)

export interface ValidationIssue {
  /** Where the problem is, as a path into the input, e.g. `tasks[3].dependsOn[0]`. */
  path: string;
  message: string;
}

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly issues: ValidationIssue[] = [],
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export function invalidInput(issues: ValidationIssue[]): DomainError {
  const summary = issues
    .slice(0, 5)
    .map((i) => `${i.path}: ${i.message}`)
    .join('; ');
  const more = issues.length > 5 ? ` (and ${issues.length - 5} more)` : '';
  return new DomainError('INVALID_INPUT', `${summary}${more}`, issues);
}
