import { applyDecorators } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiPayloadTooLargeResponse,
  ApiServiceUnavailableResponse,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';

/** The error answers every plan command can give, documented once. */
export function CommandResponses() {
  return applyDecorators(
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
    ApiNotFoundResponse({ description: 'Unknown congress or plan' }),
    ApiTooManyRequestsResponse({ description: 'Rate limited' }),
    ApiServiceUnavailableResponse({ description: 'Temporal unreachable; see Retry-After' }),
  );
}
