/** How errors become HTTP answers: one table, tested without a server. */
import { BadRequestException, NotFoundException } from '@nestjs/common';
import { status as GrpcStatus } from '@grpc/grpc-js';
import {
  ApplicationFailure,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import { DomainError } from '../../../libs/domain';
import { mapError } from './temporal-exception.filter';

function grpcError(code: number, message: string): Error {
  return Object.assign(new Error(message), { code, details: message, metadata: { getMap: () => ({}) } });
}

const updateFailure = (type: string, message: string, issues: unknown[] = []) =>
  new WorkflowUpdateFailedError(
    'Workflow Update failed',
    ApplicationFailure.create({ type, message, nonRetryable: true, details: [{ issues }] }),
  );

describe('mapError', () => {
  it.each([
    ['a domain INVALID_INPUT', new DomainError('INVALID_INPUT', 'x', [{ path: 'tasks[0].due', message: 'bad' }]), 400],
    ['a domain NOT_FOUND', new DomainError('NOT_FOUND', 'task X does not exist'), 404],
    ['a domain INVALID_TRANSITION', new DomainError('INVALID_TRANSITION', 'task is done'), 409],
    ['a domain FORBIDDEN', new DomainError('FORBIDDEN', 'not an approver'), 403],
    ['a rejected update (INVALID_TRANSITION)', updateFailure('INVALID_TRANSITION', 'task TT-01 is done'), 409],
    [
      'a rejected update (INVALID_INPUT)',
      updateFailure('INVALID_INPUT', 'bad', [{ path: 'due', message: 'bad' }]),
      400,
    ],
    ['a rejected update (FORBIDDEN)', updateFailure('FORBIDDEN', 'not an approver'), 403],
    [
      'a command over the state budget',
      updateFailure('STATE_BUDGET_EXCEEDED', 'over its budget of 1048576 bytes'),
      409,
    ],
    ['an unknown workflow', new WorkflowNotFoundError('not found', 'plan/dh/BPTT', undefined), 404],
    [
      'an existing workflow',
      new WorkflowExecutionAlreadyStartedError('exists', 'congress/dh', 'congressWorkflow'),
      409,
    ],
    ['Temporal unreachable', grpcError(GrpcStatus.UNAVAILABLE, 'connect ECONNREFUSED'), 503],
    ['Temporal too slow', grpcError(GrpcStatus.DEADLINE_EXCEEDED, 'deadline exceeded'), 503],
    ['Temporal rate-limiting', grpcError(GrpcStatus.RESOURCE_EXHAUSTED, 'namespace rate limit'), 429],
    ['a Nest 400', new BadRequestException('bad'), 400],
    ['a Nest 404', new NotFoundException('nope'), 404],
    ['a bug', new TypeError('x is undefined'), 500],
  ])('maps %s', (_what, err, status) => {
    const mapped = mapError(err);
    expect(mapped.status).toBe(status);
    expect(mapped.body.statusCode).toBe(status);
  });

  it('names each bad field of a rejected update and keeps internals out of a 500', () => {
    const invalid = mapError(updateFailure('INVALID_INPUT', 'x', [{ path: 'task.due', message: 'is not a due time' }]));
    expect(invalid.body.issues).toEqual([{ path: 'task.due', message: 'is not a due time' }]);
    expect(invalid.body.message).toEqual(['task.due: is not a due time']);
    const bug = mapError(new TypeError('secret internals'));
    expect(JSON.stringify(bug.body)).not.toContain('secret internals');
  });

  it('asks the caller to retry later when Temporal is unavailable', () => {
    expect(mapError(grpcError(GrpcStatus.UNAVAILABLE, 'down')).retryAfter).toBe(5);
  });
});
