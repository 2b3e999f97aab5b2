import { applyDecorators } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiPayloadTooLargeResponse,
  ApiServiceUnavailableResponse,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';

/** What a plan command answers on success. */
const COMMAND_RESULT_EXAMPLE = { ok: true, taskId: 'TT-01', status: 'awaiting_approval', approvalId: 'A3' };

/**
 * The answers every command can give, documented once: the success (200, or 201 for what creates a
 * congress or plan, documented by the route itself) and each error.
 */
export function CommandResponses(options: { created?: boolean } = {}) {
  return applyDecorators(
    ...(options.created
      ? []
      : [
          ApiOkResponse({
            description: 'Applied (or, for a retried Idempotency-Key, the first result with `replayed: true`)',
            schema: { example: COMMAND_RESULT_EXAMPLE },
          }),
        ]),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description: 'retrying with the same key returns the first result',
    }),
    ApiBadRequestResponse({ description: 'Malformed input; `issues` names each bad field' }),
    ApiNotFoundResponse({ description: 'Unknown congress, plan, task, approval or scenario' }),
    ApiConflictResponse({
      description: 'Not allowed in the current state (e.g. completing a done task, deciding twice)',
    }),
    ApiPayloadTooLargeResponse({ description: 'Body over the configured limit' }),
    ApiTooManyRequestsResponse({ description: 'Rate limited' }),
    ApiServiceUnavailableResponse({ description: 'Temporal unreachable; see Retry-After' }),
  );
}

export function ReadResponses() {
  return applyDecorators(
    ApiOkResponse({ description: 'The requested view, with a link to the workflow in the Temporal UI' }),
    ApiNotFoundResponse({ description: 'Unknown congress or plan' }),
    ApiTooManyRequestsResponse({ description: 'Rate limited' }),
    ApiServiceUnavailableResponse({ description: 'Temporal unreachable; see Retry-After' }),
  );
}
