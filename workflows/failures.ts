import { ApplicationFailure } from '@temporalio/workflow';
import { DomainError } from '../libs/domain';

/**
 * Turns a domain error into a typed, non-retryable failure: the update's caller (or the workflow's starter)
 * sees `type` = INVALID_INPUT | NOT_FOUND | INVALID_TRANSITION | FORBIDDEN | STATE_BUDGET_EXCEEDED (the API answers
 * 400, 404, 409, 403 and 409) and the issues in `details[0]`.
 * Anything else is a bug and is rethrown as it is, so that the workflow task fails and can be fixed and retried.
 */
export function toApplicationFailure(err: unknown): unknown {
  if (err instanceof DomainError) {
    return ApplicationFailure.create({
      type: err.code,
      message: err.message,
      nonRetryable: true,
      details: [{ issues: err.issues }],
    });
  }
  return err;
}
