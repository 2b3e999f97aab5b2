/** How errors become HTTP answers: one table, tested without a server. */
import { BadRequestException, NotFoundException } from '@nestjs/common';
import { status as GrpcStatus } from '@grpc/grpc-js';
import {
  ApplicationFailure,
  QueryNotRegisteredError,
  ServiceError,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import { DomainError } from '../../../libs/domain';
import { CongressAlreadyExistsError } from '../temporal/congress.gateway';
import { PlanFinishedError, visibilityLiteral } from '../temporal/plan.gateway';
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

describe('mapError: the client mistakes and load of issue 7', () => {
  it('answers too many updates in flight on one plan with 429, Retry-After 1 and a code to retry on', () => {
    const busy = mapError(
      grpcError(GrpcStatus.RESOURCE_EXHAUSTED, 'limit on number of concurrent in-flight updates has been reached (10)'),
    );
    expect(busy).toMatchObject({ status: 429, retryAfter: 1, body: { statusCode: 429, code: 'TOO_MANY_UPDATES' } });
    expect(busy.body.message).toMatch(/nothing was applied.*Idempotency-Key/);
    expect(mapError(grpcError(GrpcStatus.RESOURCE_EXHAUSTED, 'Workflow is busy.'))).toMatchObject({
      status: 429,
      body: { code: 'TOO_MANY_UPDATES' },
    });
  });

  it("finds RESOURCE_EXHAUSTED under the SDK's ServiceError too", () => {
    const wrapped = new ServiceError('Failed to update', {
      cause: grpcError(GrpcStatus.RESOURCE_EXHAUSTED, 'namespace rate limit exceeded'),
    });
    expect(mapError(wrapped)).toMatchObject({ status: 429, retryAfter: 5, body: { code: 'RATE_LIMITED' } });
  });

  it('answers a command to a finished plan with 409', () => {
    const finished = mapError(new PlanFinishedError('plan dh/BPTT was stopped and is finished'));
    expect(finished).toMatchObject({
      status: 409,
      body: { code: 'PLAN_FINISHED', message: expect.stringMatching(/stopped/) },
    });
  });

  it("answers the gateways' own refusals with their whole 409 body", () => {
    expect(mapError(new PlanFinishedError('plan dh/BPTT was stopped and is finished'))).toEqual({
      status: 409,
      body: {
        statusCode: 409,
        error: 'CONFLICT',
        code: 'PLAN_FINISHED',
        message: 'plan dh/BPTT was stopped and is finished',
      },
    });
    expect(mapError(new CongressAlreadyExistsError('congress dh already exists'))).toEqual({
      status: 409,
      body: { statusCode: 409, error: 'CONFLICT', code: 'ALREADY_EXISTS', message: 'congress dh already exists' },
    });
  });

  it('keeps a refused JSON depth a 400 with its own code', () => {
    const deep = mapError(new BadRequestException({ code: 'JSON_TOO_DEEP', message: 'nested deeper than 32 levels' }));
    expect(deep).toMatchObject({ status: 400, body: { code: 'JSON_TOO_DEEP' } });
  });

  it('keeps a bad list filter a 400 naming the field', () => {
    let thrown: unknown;
    try {
      visibilityLiteral('dh\u0000', 'congress');
    } catch (err) {
      thrown = err;
    }
    expect(mapError(thrown)).toMatchObject({
      status: 400,
      body: { issues: [{ path: 'congress', message: 'must not contain control characters' }] },
    });
  });

  it.each([
    ['a plain value', 'dh-tinh-xxi', "'dh-tinh-xxi'"],
    ['a quote', "a' OR 'b", "'a\\' OR \\'b'"],
    ['a backslash', 'a\\', "'a\\\\'"],
  ])('quotes %s as one visibility literal', (_what, value, literal) => {
    expect(visibilityLiteral(value, 'f')).toBe(literal);
  });
});

describe('mapError: queries the plan could not answer', () => {
  it('keeps 404 for a workflow without the query, and a 500 of its own for an answer over the size limit', () => {
    const unknown = new QueryNotRegisteredError(
      'Workflow did not register a handler for view. Registered queries: []',
      3,
    );
    expect(mapError(unknown)).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
    const tooLarge = new QueryNotRegisteredError('Blob data size exceeds limit.', 3);
    expect(mapError(tooLarge)).toMatchObject({ status: 500, body: { code: 'ANSWER_TOO_LARGE' } });
  });
});
