import {
  BadRequestException,
  Body,
  Controller,
  Delete,
  Get,
  Header,
  HttpCode,
  Param,
  Post,
  Query,
  Req,
  StreamableFile,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiCreatedResponse,
  ApiGoneResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import { applyDecorators } from '@nestjs/common';
import type { Request } from 'express';
import { congressWorkflowId, planWorkflowId } from '../../../libs/contracts';
import { ICS_CONTENT_TYPE } from '../../../libs/formats/calendar-feed';
import { SVG_CONTENT_TYPE } from '../../../libs/formats/gantt';
import { DOCX_CONTENT_TYPE } from '../../../libs/formats/party-document';
import { CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE } from '../../../libs/formats/task-sheet';
import { Authenticated, CurrentUser } from '../auth/auth.decorators';
import type { AuthenticatedUser } from '../auth/roles';
import { CommandResponses, ERROR_BODY_SCHEMA, ReadResponses } from '../common/api-docs';
import { TemporalUiLinkInterceptor } from '../common/temporal-ui-link.interceptor';
import { ImportQueryDto, MintCongressFeedDto, RevokeFeedDto } from './exports.dto';
import { ExportsService, type ExportFormat } from './exports.service';

const PLAN = 'plans/:congressId/:unitCode';
export const CONTENT_TYPES: Record<ExportFormat | 'md' | 'json', string> = {
  xlsx: XLSX_CONTENT_TYPE,
  csv: CSV_CONTENT_TYPE,
  docx: DOCX_CONTENT_TYPE,
  svg: SVG_CONTENT_TYPE,
  md: 'text/markdown; charset=utf-8',
  json: 'application/json; charset=utf-8',
};
/** The largest task sheet accepted (a plan of a few hundred tasks is well under 1 MB). */
const MAX_IMPORT_BYTES = 5 * 1024 * 1024;

export function download(body: Buffer, format: keyof typeof CONTENT_TYPES, file: string): StreamableFile {
  const inline = format === 'svg';
  return new StreamableFile(body, {
    type: CONTENT_TYPES[format],
    disposition: `${inline ? 'inline' : 'attachment'}; filename="${file}"`,
    length: body.length,
  });
}

const errorBody = (description: string) => ({ description, schema: ERROR_BODY_SCHEMA });

/** A download: the file on success, the JSON error body otherwise (so no @ApiProduces for the whole route). */
function FileResponses(...contentTypes: string[]) {
  return applyDecorators(
    ApiOkResponse({
      description: 'The file',
      content: Object.fromEntries(
        contentTypes.map((type) => {
          const mediaType = type.split(';')[0];
          const json = mediaType === 'application/json';
          return [mediaType, { schema: json ? { type: 'object' } : { type: 'string', format: 'binary' } }];
        }),
      ),
    }),
    ApiBadRequestResponse(errorBody('A malformed parameter; `issues` names it')),
    ApiNotFoundResponse(errorBody('Unknown congress, plan or file')),
    ApiTooManyRequestsResponse(errorBody('Rate limited')),
    ApiServiceUnavailableResponse(errorBody('Temporal unreachable; see Retry-After')),
  );
}

const REPORT_LIST_SCHEMA = {
  type: 'array',
  items: {
    type: 'object',
    required: ['file', 'format'],
    properties: { file: { type: 'string' }, format: { type: 'string', enum: ['docx', 'md', 'json'] } },
  },
};

/** The answers of the feed-link routes (not idempotent by key: a second link is simply another link). */
function FeedLinkResponses(created: boolean) {
  return applyDecorators(
    created
      ? ApiCreatedResponse({
          schema: { example: { id: 'q2VbT0cXyZ1a2b3c', url: 'https://…/feeds/<token>/calendar.ics' } },
        })
      : ApiOkResponse({ schema: { example: { ok: true, id: 'q2VbT0cXyZ1a2b3c', revoked: true } } }),
    ApiBadRequestResponse(errorBody('Malformed input; `issues` names each bad field')),
    ApiNotFoundResponse(errorBody('Unknown congress, plan, person or agency')),
    ApiConflictResponse(errorBody('Not allowed in the current state')),
    ApiPayloadTooLargeResponse(errorBody('Body over the configured limit')),
    ApiTooManyRequestsResponse(errorBody('Rate limited')),
    ApiServiceUnavailableResponse(errorBody('Temporal unreachable; see Retry-After')),
  );
}

const baseUrlOf = (req: Request) => `${req.protocol}://${req.get('host') ?? 'localhost'}`;

@ApiTags('exports')
@Controller()
export class ExportsController {
  constructor(private readonly exports: ExportsService) {}

  @Get(`${PLAN}/tasks.xlsx`)
  @UseInterceptors(TemporalUiLinkInterceptor)
  @Authenticated('viewer', 'coordinator', 'approver')
  @ApiOperation({ summary: "The plan's tasks as the office's Excel sheet (names, local deadlines, categories)" })
  @FileResponses(XLSX_CONTENT_TYPE)
  async xlsx(@Param('congressId') c: string, @Param('unitCode') u: string) {
    const { body, file } = await this.exports.export(c, u, 'xlsx');
    return download(body, 'xlsx', file);
  }

  @Get(`${PLAN}/tasks.csv`)
  @UseInterceptors(TemporalUiLinkInterceptor)
  @Authenticated('viewer', 'coordinator', 'approver')
  @ApiOperation({ summary: "The plan's tasks as CSV (UTF-8 with BOM)" })
  @FileResponses(CSV_CONTENT_TYPE)
  async csv(@Param('congressId') c: string, @Param('unitCode') u: string) {
    const { body, file } = await this.exports.export(c, u, 'csv');
    return download(body, 'csv', file);
  }

  @Get(`${PLAN}/gantt.svg`)
  @UseInterceptors(TemporalUiLinkInterceptor)
  @Authenticated('viewer', 'coordinator', 'approver')
  @ApiOperation({ summary: 'A picture of the timeline: SVG Gantt with congress days, today, overdue, critical path' })
  @FileResponses(SVG_CONTENT_TYPE)
  async gantt(@Param('congressId') c: string, @Param('unitCode') u: string) {
    const { body, file } = await this.exports.export(c, u, 'svg');
    return download(body, 'svg', file);
  }

  @Get(`${PLAN}/report.docx`)
  @UseInterceptors(TemporalUiLinkInterceptor)
  @Authenticated('viewer', 'coordinator', 'approver')
  @ApiOperation({ summary: 'The progress report now, as a Word document in the Party’s format' })
  @FileResponses(DOCX_CONTENT_TYPE)
  async docx(@Param('congressId') c: string, @Param('unitCode') u: string) {
    const { body, file } = await this.exports.export(c, u, 'docx');
    return download(body, 'docx', file);
  }

  @Post(`${PLAN}/tasks/import`)
  @HttpCode(200)
  @Authenticated('coordinator')
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: MAX_IMPORT_BYTES, files: 1 } }))
  @ApiOperation({
    summary:
      "Add tasks from the office's .xlsx, all or nothing (errors name sheet, row and column); dryRun=true only checks",
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } } } })
  @CommandResponses()
  importTasks(
    @Param('congressId') c: string,
    @Param('unitCode') u: string,
    @Query() query: ImportQueryDto,
    @UploadedFile() file: { buffer: Buffer; size: number } | undefined,
    @CurrentUser() user: AuthenticatedUser,
  ) {
    if (!file || file.size === 0) {
      throw new BadRequestException({
        message: 'file: attach the .xlsx as the multipart field "file"',
        issues: [{ path: 'file', message: 'attach the .xlsx as the multipart field "file"' }],
      });
    }
    return this.exports.importTasks(c, u, file.buffer, user, query.dryRun === true);
  }

  @Get(`${PLAN}/reports`)
  @Authenticated('viewer', 'coordinator', 'approver')
  @ApiOperation({ summary: 'The check-in and closing reports the worker filed (docx, md, json)' })
  @ReadResponses(REPORT_LIST_SCHEMA)
  reports(@Param('congressId') c: string, @Param('unitCode') u: string) {
    return this.exports.listReports(planWorkflowId(c, u));
  }

  @Get(`${PLAN}/reports/:file`)
  @Authenticated('viewer', 'coordinator', 'approver')
  @ApiOperation({ summary: 'Download a filed report' })
  @FileResponses(DOCX_CONTENT_TYPE, CONTENT_TYPES.md, CONTENT_TYPES.json)
  async reportFile(@Param('congressId') c: string, @Param('unitCode') u: string, @Param('file') file: string) {
    const body = await this.exports.report(planWorkflowId(c, u), file);
    return download(body, file.split('.').pop() as 'docx', file);
  }

  @Get('congresses/:congressId/reports')
  @Authenticated('viewer', 'coordinator', 'approver')
  @ApiOperation({ summary: 'The congress summary reports the worker filed' })
  @ReadResponses(REPORT_LIST_SCHEMA)
  congressReports(@Param('congressId') c: string) {
    return this.exports.listReports(congressWorkflowId(c));
  }

  @Get('congresses/:congressId/reports/:file')
  @Authenticated('viewer', 'coordinator', 'approver')
  @ApiOperation({ summary: 'Download a filed congress summary' })
  @FileResponses(DOCX_CONTENT_TYPE, CONTENT_TYPES.md, CONTENT_TYPES.json)
  async congressReportFile(@Param('congressId') c: string, @Param('file') file: string) {
    const body = await this.exports.report(congressWorkflowId(c), file);
    return download(body, file.split('.').pop() as 'docx', file);
  }

  // -------------------------------------------------------------------------------------------------------
  // Calendar feeds

  @Post(`${PLAN}/feeds`)
  @Authenticated('viewer', 'coordinator', 'approver')
  @ApiOperation({ summary: "A calendar feed link for the unit's deadlines, check-ins and congress days" })
  @FeedLinkResponses(true)
  mintUnitFeed(
    @Param('congressId') congressId: string,
    @Param('unitCode') unitCode: string,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
  ) {
    return this.exports.mintFeed({ kind: 'unit', congressId, unitCode }, user, baseUrlOf(req));
  }

  @Post('congresses/:congressId/feeds')
  @Authenticated('viewer', 'coordinator', 'approver')
  @ApiOperation({ summary: "A calendar feed link for one person's or one agency's tasks across the congress" })
  @FeedLinkResponses(true)
  mintCongressFeed(
    @Param('congressId') congressId: string,
    @Body() body: MintCongressFeedDto,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
  ) {
    const scope =
      body.kind === 'person'
        ? { kind: 'person' as const, congressId, personId: body.personId! }
        : { kind: 'agency' as const, congressId, agencyCode: body.agencyCode! };
    return this.exports.mintFeed(scope, user, baseUrlOf(req));
  }

  @Delete('feeds/:feedId')
  @Authenticated('coordinator')
  @ApiOperation({ summary: 'Revoke a calendar feed link (by the id returned when it was made)' })
  @FeedLinkResponses(false)
  revokeFeed(@Param('feedId') feedId: string, @Body() body: RevokeFeedDto, @CurrentUser() user: AuthenticatedUser) {
    if (!/^[A-Za-z0-9_-]{16}$/.test(feedId)) throw new BadRequestException('feedId: not a feed id');
    return this.exports.revokeFeed(feedId, user, body?.reason);
  }

  /** Public: the signed token in the link is the credential (calendar apps send no Authorization header). */
  @Get('feeds/:token/calendar.ics')
  @Header('Cache-Control', 'private, max-age=300')
  @ApiOperation({ summary: 'A calendar feed (iCalendar); the link itself is the credential' })
  @ApiOkResponse({ description: 'The iCalendar feed', content: { 'text/calendar': { schema: { type: 'string' } } } })
  @ApiNotFoundResponse(errorBody('A link tminus did not sign'))
  @ApiGoneResponse(errorBody('A revoked link'))
  @ApiTooManyRequestsResponse(errorBody('Rate limited'))
  @ApiServiceUnavailableResponse(errorBody('Temporal unreachable'))
  async feed(@Param('token') token: string) {
    // The calendar type on the feed only: errors stay JSON.
    return new StreamableFile(Buffer.from(await this.exports.feed(token), 'utf8'), { type: ICS_CONTENT_TYPE });
  }
}
