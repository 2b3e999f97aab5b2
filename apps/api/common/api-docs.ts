import { applyDecorators } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiForbiddenResponse,
  ApiUnauthorizedResponse,
  ApiConflictResponse,
  ApiExtension,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiPayloadTooLargeResponse,
  ApiServiceUnavailableResponse,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';

type Schema = Record<string, unknown>;

/** The body of every error answer (see TemporalExceptionFilter): documented once, used by every route. */
export const ERROR_BODY_SCHEMA: Schema = {
  type: 'object',
  required: ['statusCode', 'error', 'message'],
  properties: {
    statusCode: { type: 'integer', minimum: 400, maximum: 599 },
    error: { type: 'string' },
    code: { type: 'string', example: 'INVALID_INPUT' },
    message: { oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
    issues: {
      type: 'array',
      description: 'for 400: each bad field, by path',
      items: {
        type: 'object',
        required: ['path', 'message'],
        properties: { path: { type: 'string', example: 'plans[0].tasks[3].due' }, message: { type: 'string' } },
      },
    },
    requestId: { type: 'string' },
  },
};

const error = (description: string) => ({ description, schema: ERROR_BODY_SCHEMA });

/** 401 and 403, for every route behind a token (used by `Authenticated`). */
export function AuthResponses(roles: string[]) {
  return applyDecorators(
    ApiUnauthorizedResponse(error('Missing, malformed, expired or otherwise invalid bearer token')),
    ApiForbiddenResponse(error(`Requires one of the roles: ${roles.join(', ')}; or a unit outside the token's scope`)),
    ApiServiceUnavailableResponse(error('Temporal or the identity provider (JWKS) unreachable; see Retry-After')),
  );
}

/** Loose response schemas of the reads: the stable top-level fields, further fields allowed. */
const LINKS = { type: 'object', properties: { temporalUi: { type: 'string' } } };
const TASK = {
  type: 'object',
  required: ['id', 'title', 'status'],
  properties: { id: { type: 'string' }, title: { type: 'string' }, status: { type: 'string' } },
};
const APPROVAL = {
  type: 'object',
  required: ['id', 'status', 'approvers', 'decisions'],
  properties: {
    id: { type: 'string' },
    status: { type: 'string' },
    approvers: { type: 'array', items: { type: 'string' } },
    decisions: { type: 'array', items: { type: 'object' } },
  },
};
export const READ_SCHEMAS = {
  congress: {
    type: 'object',
    required: ['workflowId', 'congress', 'units', 'progress'],
    properties: {
      workflowId: { type: 'string' },
      congress: { type: 'object' },
      units: { type: 'array', items: { type: 'string' } },
      progress: { type: 'object', additionalProperties: { type: 'object' } },
      finished: { type: 'object' },
      activeContingencies: { type: 'array', items: { type: 'string' } },
      history: { type: 'array', items: { type: 'object' } },
      links: LINKS,
    },
  },
  planList: {
    type: 'object',
    required: ['items', 'offset', 'limit'],
    properties: {
      items: {
        type: 'array',
        items: {
          type: 'object',
          required: ['workflowId', 'congressId', 'unitCode'],
          properties: { workflowId: { type: 'string' }, congressId: { type: 'string' }, unitCode: { type: 'string' } },
        },
      },
      offset: { type: 'integer' },
      limit: { type: 'integer' },
    },
  },
  plan: {
    type: 'object',
    required: ['workflowId', 'congress', 'unit', 'status', 'tasks'],
    properties: {
      workflowId: { type: 'string' },
      congress: { type: 'object' },
      unit: { type: 'object', required: ['code'], properties: { code: { type: 'string' } } },
      status: { type: 'string' },
      phase: { type: 'string' },
      summary: { type: 'object' },
      tasks: { type: 'array', items: TASK },
      pendingApprovals: { type: 'array', items: APPROVAL },
      links: LINKS,
    },
  },
  timeline: { type: 'array', items: { type: 'object' } },
  tasks: { type: 'array', items: TASK },
  approvals: { type: 'array', items: APPROVAL },
  report: { type: 'object' },
  audit: {
    type: 'object',
    required: ['entries', 'total'],
    properties: {
      entries: {
        type: 'array',
        items: {
          type: 'object',
          required: ['actor', 'action'],
          properties: { actor: { type: 'string' }, action: { type: 'string' } },
        },
      },
      total: { type: 'integer' },
      archivedThroughSeq: { type: 'integer' },
    },
  },
  inbox: { type: 'object', required: ['items'], properties: { items: { type: 'array', items: APPROVAL } } },
  templates: {
    type: 'array',
    items: {
      type: 'object',
      required: ['id', 'level', 'title', 'description', 'sources', 'congress', 'units'],
      properties: {
        id: { type: 'string', example: 'province', description: 'what POST /congresses/from-template takes' },
        level: { type: 'string', example: 'province' },
        title: { type: 'string' },
        description: { type: 'string' },
        sources: { type: 'array', items: { type: 'string' } },
        congress: {
          type: 'object',
          required: ['name', 'number', 'days', 'people'],
          properties: {
            name: {
              type: 'string',
              description: 'the name pattern: {number} and {term} are filled in',
              example: 'Đại hội đại biểu Đảng bộ tỉnh lần thứ {number}, nhiệm kỳ {term}',
            },
            number: { type: 'string', example: 'XXI', description: 'the default number' },
            days: { type: 'integer', example: 3, description: 'how many days the congress sits by default' },
            people: {
              type: 'array',
              description: "the subcommittee's people: the ids a from-template `people` override names",
              items: {
                type: 'object',
                required: ['id', 'name', 'role'],
                properties: {
                  id: { type: 'string', example: 'tvchung' },
                  name: { type: 'string' },
                  title: { type: 'string' },
                  role: { type: 'string', enum: ['head', 'deputyHead', 'standingSection', 'standingCommittee'] },
                },
              },
            },
          },
        },
        units: {
          type: 'array',
          items: {
            type: 'object',
            required: ['unitCode', 'unitName', 'taskCount', 'groupCount', 'checkInCadence', 'scenarios'],
            properties: {
              unitCode: { type: 'string', example: 'BPTT' },
              unitName: { type: 'string' },
              documentNumber: { type: 'string', example: '03-KH/TB-BPTT' },
              taskCount: { type: 'integer' },
              groupCount: { type: 'integer' },
              checkInCadence: { type: 'string' },
              scenarios: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['code', 'name'],
                  properties: { code: { type: 'string' }, name: { type: 'string' } },
                },
              },
            },
          },
        },
      },
    },
  },
  simulation: {
    type: 'object',
    required: ['congressId', 'timeZone', 'start', 'lateDays', 'events', 'plans', 'neverDone'],
    properties: {
      congressId: { type: 'string' },
      timeZone: { type: 'string', example: 'Asia/Ho_Chi_Minh' },
      start: { type: 'string', format: 'date-time', description: 'when the simulated plans start' },
      lateDays: { type: 'integer' },
      events: {
        type: 'array',
        description: 'what the plans emit and what the simulated office does, in time order',
        items: {
          type: 'object',
          required: ['at', 'local', 'unitCode', 'kind', 'text'],
          properties: {
            at: { type: 'string', format: 'date-time' },
            local: {
              type: 'string',
              example: '23/02/2027 17:00',
              description: "dd/mm/yyyy HH:mm in the congress's zone",
            },
            unitCode: { type: 'string', example: 'BPTT' },
            kind: { type: 'string', enum: ['effect', 'completed', 'approved', 'scenario-requested'] },
            text: { type: 'string', example: '[Nhắc việc] Ban hành kế hoạch tuyên truyền → gửi Phạm Thị Thu Hằng' },
          },
        },
      },
      plans: {
        type: 'array',
        items: {
          type: 'object',
          required: ['unitCode', 'unitName', 'closesAt', 'status'],
          properties: {
            unitCode: { type: 'string' },
            unitName: { type: 'string' },
            closesAt: { type: 'string', format: 'date-time', nullable: true },
            status: { type: 'string' },
          },
        },
      },
      neverDone: { type: 'array', items: { type: 'string', example: 'BPTT:TT-03' } },
    },
  },
  validation: {
    type: 'object',
    required: ['ok', 'plans', 'tasks', 'scenarios'],
    properties: {
      ok: { type: 'boolean', enum: [true] },
      plans: { type: 'integer' },
      tasks: { type: 'integer' },
      scenarios: { type: 'integer' },
    },
  },
} satisfies Record<string, Schema>;

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
    ApiBadRequestResponse(error('Malformed input; `issues` names each bad field')),
    ApiNotFoundResponse(error('Unknown congress, plan, task, approval or scenario')),
    ApiConflictResponse(error('Not allowed in the current state (e.g. completing a done task, deciding twice)')),
    ApiPayloadTooLargeResponse(error('Body over the configured limit')),
    ApiTooManyRequestsResponse(error('Rate limited')),
    ApiServiceUnavailableResponse(error('Temporal unreachable; see Retry-After')),
  );
}

export function ReadResponses(schema: Schema = { type: 'object' }) {
  return applyDecorators(
    ApiOkResponse({ description: 'The requested view, with a link to the workflow in the Temporal UI', schema }),
    ApiBadRequestResponse(error('A malformed query parameter; `issues` names it')),
    ApiNotFoundResponse(error('Unknown congress or plan')),
    ApiTooManyRequestsResponse(error('Rate limited')),
    ApiServiceUnavailableResponse(error('Temporal unreachable; see Retry-After')),
  );
}

/** The answers of a dry run (a simulation, a validation): computed from the request alone, nothing started. */
export function DryRunResponses(schema: Schema, options: { notFound?: string } = {}) {
  return applyDecorators(
    // A POST that changes nothing (no 409 is possible): clients and the docs' checks can tell it from a command.
    ApiExtension('x-dry-run', true),
    ApiOkResponse({ description: 'The result; nothing was created or started', schema }),
    ApiBadRequestResponse(error('Malformed or inadmissible input; `issues` names each bad field')),
    ...(options.notFound ? [ApiNotFoundResponse(error(options.notFound))] : []),
    ApiPayloadTooLargeResponse(error('Body over the configured limit')),
    ApiTooManyRequestsResponse(error('Rate limited')),
  );
}
