/**
 * One filter maps every error to an HTTP answer: Nest's own HttpExceptions pass through, domain errors and
 * typed workflow failures map by their code, Temporal client errors by kind, and an unreachable Temporal to
 * 503 with Retry-After. Anything else is a bug: 500, logged with the request id, no internals in the body.
 */
import { ArgumentsHost, Catch, HttpException, HttpStatus, Logger, type ExceptionFilter } from '@nestjs/common';
import { status as GrpcStatus } from '@grpc/grpc-js';
import {
  ApplicationFailure,
  ServiceError,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  QueryNotRegisteredError,
  isGrpcServiceError,
} from '@temporalio/client';
import type { Request, Response } from 'express';
import { DomainError, type DomainErrorCode, type ValidationIssue } from '../../../libs/domain';
import { ensureRequestId } from './request-id';

const DOMAIN_STATUS: Record<DomainErrorCode, number> = {
  INVALID_INPUT: HttpStatus.BAD_REQUEST,
  NOT_FOUND: HttpStatus.NOT_FOUND,
  INVALID_TRANSITION: HttpStatus.CONFLICT,
  FORBIDDEN: HttpStatus.FORBIDDEN,
  // The plan is full: a 4xx naming the limit, never a 5xx (the plan itself keeps working).
  STATE_BUDGET_EXCEEDED: HttpStatus.CONFLICT,
};

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string | string[];
  code?: string;
  issues?: ValidationIssue[];
  requestId?: string;
}

const RETRY_AFTER_SECONDS = 5;
/** Updates in flight on one plan finish within a second or so; a client may try again that soon. */
const BUSY_PLAN_RETRY_AFTER_SECONDS = 1;

function isDomainCode(type: string | undefined | null): type is DomainErrorCode {
  return !!type && type in DOMAIN_STATUS;
}

/** Maps an error to status and body; exported for unit tests of the mapping. */
export function mapError(err: unknown): { status: number; body: Omit<ErrorBody, 'requestId'>; retryAfter?: number } {
  if (err instanceof HttpException) {
    const response = err.getResponse();
    const body = typeof response === 'string' ? { message: response } : (response as Record<string, unknown>);
    const status = err.getStatus();
    return {
      status,
      body: {
        statusCode: status,
        error: (body.error as string) ?? HttpStatus[status] ?? 'Error',
        code: typeof body.code === 'string' ? body.code : codeOfStatus(status),
        message: (body.message as string | string[]) ?? err.message,
        ...(body.issues ? { issues: body.issues as ValidationIssue[] } : {}),
      },
    };
  }
  const parser = bodyParserError(err);
  if (parser) return plain(parser.status, parser.message, parser.code);
  if (err instanceof DomainError) return domain(err.code, err.message, err.issues);
  if (err instanceof WorkflowUpdateFailedError) {
    const cause = err.cause;
    if (cause instanceof ApplicationFailure && isDomainCode(cause.type)) {
      const issues = (cause.details?.[0] as { issues?: ValidationIssue[] } | undefined)?.issues ?? [];
      return domain(cause.type, cause.message, issues);
    }
    return plain(HttpStatus.UNPROCESSABLE_ENTITY, cause?.message ?? err.message, 'UPDATE_FAILED');
  }
  if (err instanceof WorkflowNotFoundError) return plain(HttpStatus.NOT_FOUND, notFoundMessage(err), 'NOT_FOUND');
  if (err instanceof WorkflowExecutionAlreadyStartedError)
    return plain(HttpStatus.CONFLICT, 'it already exists', 'ALREADY_EXISTS');
  if (err instanceof QueryNotRegisteredError) return queryRefused(err);
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) {
    // Admitted but not confirmed in time (a busy plan or worker): it may yet be applied, so the safe retry is
    // the one with the same Idempotency-Key, which the plan answers from its log.
    return {
      ...plain(
        HttpStatus.SERVICE_UNAVAILABLE,
        'the plan did not confirm the change in time; it may still be applied: retry with the same Idempotency-Key',
        'UPDATE_TIMEOUT',
      ),
      retryAfter: RETRY_AFTER_SECONDS,
    };
  }
  const grpc = grpcCode(err);
  if (grpc !== undefined) {
    if (grpc === GrpcStatus.NOT_FOUND) {
      const message = String((err as Error).message ?? '');
      if (/already completed|completed|closed/i.test(message)) {
        return plain(HttpStatus.CONFLICT, 'the plan has finished and accepts no more changes', 'FINISHED');
      }
      return plain(HttpStatus.NOT_FOUND, 'no such congress or plan', 'NOT_FOUND');
    }
    if (grpc === GrpcStatus.ALREADY_EXISTS) return plain(HttpStatus.CONFLICT, 'it already exists', 'ALREADY_EXISTS');
    if (grpc === GrpcStatus.RESOURCE_EXHAUSTED) return loadRefused(err);
    if (grpc === GrpcStatus.INVALID_ARGUMENT)
      return plain(HttpStatus.BAD_REQUEST, (err as Error).message, 'INVALID_ARGUMENT');
    if (
      [GrpcStatus.UNAVAILABLE, GrpcStatus.DEADLINE_EXCEEDED, GrpcStatus.CANCELLED, GrpcStatus.UNKNOWN].includes(grpc)
    ) {
      return unavailable('Temporal is unreachable');
    }
  }
  if (err instanceof ServiceError || isConnectionError(err)) return unavailable('Temporal is unreachable');
  return plain(HttpStatus.INTERNAL_SERVER_ERROR, 'internal error', 'INTERNAL');
}

/** The `code` of an HTTP error that did not name one (guards, pipes, the throttler, Nest's router). */
function codeOfStatus(status: number): string {
  switch (status) {
    case HttpStatus.BAD_REQUEST:
      return 'INVALID_INPUT';
    case HttpStatus.UNAUTHORIZED:
      return 'UNAUTHENTICATED';
    case HttpStatus.FORBIDDEN:
      return 'FORBIDDEN';
    case HttpStatus.NOT_FOUND:
      return 'NOT_FOUND';
    case HttpStatus.CONFLICT:
      return 'CONFLICT';
    case HttpStatus.PAYLOAD_TOO_LARGE:
      return 'PAYLOAD_TOO_LARGE';
    case HttpStatus.TOO_MANY_REQUESTS:
      return 'RATE_LIMITED';
    case HttpStatus.SERVICE_UNAVAILABLE:
      return 'UNAVAILABLE';
    default:
      return String(HttpStatus[status] ?? 'ERROR');
  }
}

/**
 * Errors the body parser raises before any route runs (http-errors: a client status, and `expose` when the
 * message is safe to show): a body over BODY_LIMIT is 413, an unsupported charset or encoding 415, an aborted,
 * truncated or undecodable body 400. They are not HttpExceptions and would otherwise fall through to 500.
 */
function bodyParserError(err: unknown): { status: number; message: string; code: string } | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const { type, status, expose, limit } = err as {
    type?: unknown;
    status?: unknown;
    expose?: unknown;
    limit?: unknown;
  };
  if (typeof status !== 'number' || expose !== true || status < 400 || status >= 500) return undefined;
  switch (type) {
    case 'entity.too.large':
      return {
        status: HttpStatus.PAYLOAD_TOO_LARGE,
        message: `the request body is larger than the limit${typeof limit === 'number' ? ` of ${limit} bytes` : ''}`,
        code: 'PAYLOAD_TOO_LARGE',
      };
    case 'entity.parse.failed':
      return { status: HttpStatus.BAD_REQUEST, message: 'the request body is not valid JSON', code: 'INVALID_JSON' };
    default:
      return { status, message: (err as Error).message || String(HttpStatus[status]), code: codeOfStatus(status) };
  }
}

function notFoundMessage(err: WorkflowNotFoundError): string {
  return err.workflowId?.startsWith('congress/')
    ? `congress ${err.workflowId.slice('congress/'.length)} does not exist`
    : `plan ${err.workflowId ?? ''} does not exist`.replace('plan plan/', 'plan ');
}

function grpcCode(err: unknown): number | undefined {
  if (isGrpcServiceError(err)) return err.code;
  const cause = (err as { cause?: unknown })?.cause;
  if (isGrpcServiceError(cause)) return cause.code;
  return undefined;
}

function isConnectionError(err: unknown): boolean {
  const text = String((err as Error)?.message ?? err);
  return /ECONNREFUSED|Failed to connect|connection refused|transport error|TransportError/i.test(text);
}

function domain(code: DomainErrorCode, message: string, issues: ValidationIssue[]) {
  const status = DOMAIN_STATUS[code];
  return {
    status,
    body: {
      statusCode: status,
      error: HttpStatus[status],
      code,
      message: issues.length > 0 ? issues.map((i) => `${i.path}: ${i.message}`) : message,
      ...(issues.length > 0 ? { issues } : {}),
    },
  };
}

function plain(status: number, message: string, code: string) {
  return { status, body: { statusCode: status, error: HttpStatus[status] ?? 'Error', code, message } };
}

/**
 * The SDK reports every INVALID_ARGUMENT of a query as "not registered". Only an unknown query type means the
 * workflow is not a plan (404); an answer over Temporal's blob size limit is the plan's fault, not the
 * client's (500, logged, until the state budget keeps plans under it), and so is any other refusal.
 */
function queryRefused(err: QueryNotRegisteredError) {
  if (/did not register a handler|unknown query/i.test(err.message)) {
    return plain(HttpStatus.NOT_FOUND, 'not a plan', 'NOT_FOUND');
  }
  if (/size exceeds limit/i.test(err.message)) {
    return plain(
      HttpStatus.INTERNAL_SERVER_ERROR,
      "the plan's answer is larger than Temporal allows",
      'ANSWER_TOO_LARGE',
    );
  }
  return plain(HttpStatus.INTERNAL_SERVER_ERROR, 'the plan could not answer the query', 'QUERY_FAILED');
}

/**
 * Temporal refused for load (RESOURCE_EXHAUSTED): nothing was applied, so the request may be retried, with
 * the same Idempotency-Key. A busy plan (too many updates in flight) clears within a second; a rate limit later.
 */
function loadRefused(err: unknown) {
  const text = `${String((err as Error)?.message ?? '')} ${String((err as { cause?: Error })?.cause?.message ?? '')}`;
  // The server's words for a plan that is the bottleneck: its in-flight update limit, or "Workflow is busy".
  if (/in-flight updates|workflow is busy/i.test(text)) {
    return {
      ...plain(
        HttpStatus.TOO_MANY_REQUESTS,
        'this plan is busy with other changes; nothing was applied, retry shortly with the same Idempotency-Key',
        'TOO_MANY_UPDATES',
      ),
      retryAfter: BUSY_PLAN_RETRY_AFTER_SECONDS,
    };
  }
  return {
    ...plain(
      HttpStatus.TOO_MANY_REQUESTS,
      'Temporal is rate-limiting; nothing was applied, retry shortly with the same Idempotency-Key',
      'RATE_LIMITED',
    ),
    retryAfter: RETRY_AFTER_SECONDS,
  };
}

function unavailable(message: string) {
  return {
    ...plain(HttpStatus.SERVICE_UNAVAILABLE, `${message}; retry in a few seconds`, 'TEMPORAL_UNAVAILABLE'),
    retryAfter: RETRY_AFTER_SECONDS,
  };
}

@Catch()
export class TemporalExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpErrors');

  catch(err: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request & { id?: string }>();
    const response = http.getResponse<Response>();
    const { status, body, retryAfter } = mapError(err);
    const requestId = ensureRequestId(request, response);
    if (status >= 500 && status !== HttpStatus.SERVICE_UNAVAILABLE) {
      this.logger.error({ err, requestId, path: request.url }, 'unhandled error');
    } else if (status === HttpStatus.SERVICE_UNAVAILABLE) {
      this.logger.warn(
        { requestId, path: request.url, reason: String((err as Error)?.message ?? err) },
        'temporal unavailable',
      );
    }
    if (retryAfter !== undefined) response.setHeader('Retry-After', String(retryAfter));
    response.status(status).json({ ...body, requestId });
  }
}
