import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, Req, UseInterceptors } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import type { TaskDefinition } from '../../../libs/domain';
import { Authenticated, CurrentUser } from '../auth/auth.decorators';
import type { AuthenticatedUser } from '../auth/roles';
import { scopePlanList } from '../auth/unit-scope';
import { CommandResponses, READ_SCHEMAS, ReadResponses } from '../common/api-docs';
import { IdempotencyKey } from '../common/idempotency-key.decorator';
import { TemporalUiLinkInterceptor } from '../common/temporal-ui-link.interceptor';
import { download } from '../exports/exports.controller';
import { ExportsService, exportFormatFor } from '../exports/exports.service';
import { PlanGateway } from '../temporal/plan.gateway';
import {
  AcknowledgeDto,
  AddTaskDto,
  AuditQueryDto,
  ChangeDeadlineDto,
  CommentDto,
  CompleteTaskDto,
  EditTaskDto,
  ListPlansQueryDto,
  OptionalReasonDto,
  ProgressDto,
  ReassignAgencyDto,
  ReassignTaskDto,
  ReasonBodyDto,
} from './plan-commands.dto';

const PLAN = ':congressId/:unitCode';
const TASK = `${PLAN}/tasks/:taskId`;

@ApiTags('plans')
@Controller('plans')
export class PlansController {
  constructor(
    private readonly plans: PlanGateway,
    private readonly exports: ExportsService,
  ) {}

  @Get()
  @Authenticated('viewer', 'coordinator', 'approver')
  @ApiOperation({
    summary: 'List plans by congress, unit, status, overdue or active contingency (Temporal visibility)',
  })
  @ReadResponses(READ_SCHEMAS.planList)
  list(@Query() query: ListPlansQueryDto, @CurrentUser() user: AuthenticatedUser) {
    return this.plans
      .list({ ...query, offset: query.offset ?? 0, limit: query.limit ?? 50 })
      .then((page) => scopePlanList(page, user.units));
  }

  @Get(PLAN)
  @UseInterceptors(TemporalUiLinkInterceptor)
  @Authenticated('viewer', 'coordinator', 'approver')
  @ApiOperation({ summary: "A plan's state: tasks, approvals, contingencies, summary, and its Temporal UI link" })
  @ReadResponses(READ_SCHEMAS.plan)
  view(@Param('congressId') congressId: string, @Param('unitCode') unitCode: string) {
    return this.plans.view(congressId, unitCode);
  }

  @Get(`${PLAN}/timeline`)
  @UseInterceptors(TemporalUiLinkInterceptor)
  @Authenticated('viewer', 'coordinator', 'approver')
  @ApiOperation({ summary: 'What happened and what is due next' })
  @ReadResponses(READ_SCHEMAS.timeline)
  timeline(@Param('congressId') congressId: string, @Param('unitCode') unitCode: string) {
    return this.plans.query(congressId, unitCode, 'timeline');
  }

  @Get(`${PLAN}/escalations`)
  @UseInterceptors(TemporalUiLinkInterceptor)
  @Authenticated('viewer', 'coordinator', 'approver')
  @ApiOperation({ summary: 'Overdue tasks and the ladder steps fired for each' })
  @ReadResponses(READ_SCHEMAS.tasks)
  escalations(@Param('congressId') congressId: string, @Param('unitCode') unitCode: string) {
    return this.plans.query(congressId, unitCode, 'escalations');
  }

  @Get(`${PLAN}/overdue`)
  @UseInterceptors(TemporalUiLinkInterceptor)
  @Authenticated('viewer', 'coordinator', 'approver')
  @ApiOperation({ summary: 'Overdue tasks' })
  @ReadResponses(READ_SCHEMAS.tasks)
  overdue(@Param('congressId') congressId: string, @Param('unitCode') unitCode: string) {
    return this.plans.query(congressId, unitCode, 'overdue');
  }

  @Get(`${PLAN}/approvals`)
  @UseInterceptors(TemporalUiLinkInterceptor)
  @Authenticated('viewer', 'coordinator', 'approver')
  @ApiOperation({ summary: 'Every approval request of the plan, with decisions' })
  @ReadResponses(READ_SCHEMAS.approvals)
  approvals(@Param('congressId') congressId: string, @Param('unitCode') unitCode: string) {
    return this.plans.query(congressId, unitCode, 'approvals');
  }

  @Get(`${PLAN}/report`)
  @UseInterceptors(TemporalUiLinkInterceptor)
  @Authenticated('viewer', 'coordinator', 'approver')
  @ApiOperation({
    summary:
      'Progress report: done, overdue, at risk, awaiting approval, budget (JSON; Accept: text/csv, xlsx, docx or image/svg+xml for the office formats)',
  })
  @ReadResponses(READ_SCHEMAS.report)
  async report(
    @Param('congressId') congressId: string,
    @Param('unitCode') unitCode: string,
    // The raw request, not @Headers('accept'): that would document a required `accept` parameter in OpenAPI.
    @Req() request: Request,
  ) {
    const format = exportFormatFor(request.headers.accept);
    if (!format) return this.plans.query(congressId, unitCode, 'report');
    const { body, file } = await this.exports.export(congressId, unitCode, format);
    return download(body, format, file);
  }

  @Get(`${PLAN}/audit`)
  @UseInterceptors(TemporalUiLinkInterceptor)
  @Authenticated('viewer', 'coordinator', 'approver')
  @ApiOperation({ summary: 'Audit log: who did what, when and why' })
  @ReadResponses(READ_SCHEMAS.audit)
  audit(@Param('congressId') congressId: string, @Param('unitCode') unitCode: string, @Query() page: AuditQueryDto) {
    return this.plans.query(congressId, unitCode, 'audit', { offset: page.offset ?? 0, limit: page.limit ?? 100 });
  }

  @Post(`${PLAN}/tasks`)
  @Authenticated('coordinator')
  @ApiOperation({ summary: 'Add a task to a running plan' })
  @ApiCreatedResponse({
    description: 'The task was added',
    schema: { example: { ok: true, taskId: 'TT-09', status: 'open' } },
  })
  @CommandResponses({ created: true })
  async addTask(
    @Param('congressId') c: string,
    @Param('unitCode') u: string,
    @Body() body: AddTaskDto,
    @CurrentUser() user: AuthenticatedUser,
    @IdempotencyKey() key?: string,
  ) {
    const task = body.task as TaskDefinition;
    await this.plans.checkAddedTasks(c, u, [{ task, path: 'task' }]);
    return this.plans.command(c, u, 'addTask', user, { task, reason: body.reason }, key);
  }

  @Patch(TASK)
  @Authenticated('coordinator')
  @ApiOperation({ summary: "Edit a task's title, responsible person, coordinating agencies, budget, deliverable" })
  @CommandResponses()
  editTask(
    @Param('congressId') c: string,
    @Param('unitCode') u: string,
    @Param('taskId') taskId: string,
    @Body() body: EditTaskDto,
    @CurrentUser() user: AuthenticatedUser,
    @IdempotencyKey() key?: string,
  ) {
    return this.plans.command(c, u, 'editTask', user, { ...body, taskId }, key);
  }

  @Post(`${TASK}/progress`)
  @HttpCode(200)
  @Authenticated('coordinator')
  @ApiOperation({ summary: 'Report progress on a task (0-99%)' })
  @CommandResponses()
  progress(
    @Param('congressId') c: string,
    @Param('unitCode') u: string,
    @Param('taskId') taskId: string,
    @Body() body: ProgressDto,
    @CurrentUser() user: AuthenticatedUser,
    @IdempotencyKey() key?: string,
  ) {
    return this.plans.command(c, u, 'reportProgress', user, { taskId, progress: body.progress, note: body.note }, key);
  }

  @Post(`${TASK}/complete`)
  @HttpCode(200)
  @Authenticated('coordinator')
  @ApiOperation({ summary: 'Complete a task (goes to the Standing Committee when it needs approval)' })
  @CommandResponses()
  complete(
    @Param('congressId') c: string,
    @Param('unitCode') u: string,
    @Param('taskId') taskId: string,
    @Body() body: CompleteTaskDto,
    @CurrentUser() user: AuthenticatedUser,
    @IdempotencyKey() key?: string,
  ) {
    return this.plans.command(c, u, 'completeTask', user, { taskId, note: body.note }, key);
  }

  @Post(`${TASK}/reassign`)
  @HttpCode(200)
  @Authenticated('coordinator')
  @ApiOperation({ summary: 'Reassign a task to another lead agency or person' })
  @CommandResponses()
  reassign(
    @Param('congressId') c: string,
    @Param('unitCode') u: string,
    @Param('taskId') taskId: string,
    @Body() body: ReassignTaskDto,
    @CurrentUser() user: AuthenticatedUser,
    @IdempotencyKey() key?: string,
  ) {
    return this.plans.command(c, u, 'reassignTask', user, { ...body, taskId }, key);
  }

  @Post(`${TASK}/deadline`)
  @HttpCode(200)
  @Authenticated('coordinator')
  @ApiOperation({ summary: "Change a task's deadline (starts a new overdue episode)" })
  @CommandResponses()
  deadline(
    @Param('congressId') c: string,
    @Param('unitCode') u: string,
    @Param('taskId') taskId: string,
    @Body() body: ChangeDeadlineDto,
    @CurrentUser() user: AuthenticatedUser,
    @IdempotencyKey() key?: string,
  ) {
    return this.plans.command(c, u, 'changeDeadline', user, { taskId, due: body.due, reason: body.reason }, key);
  }

  @Post(`${TASK}/waive`)
  @HttpCode(200)
  @Authenticated('coordinator')
  @ApiOperation({ summary: 'Waive a task' })
  @CommandResponses()
  waive(
    @Param('congressId') c: string,
    @Param('unitCode') u: string,
    @Param('taskId') taskId: string,
    @Body() body: ReasonBodyDto,
    @CurrentUser() user: AuthenticatedUser,
    @IdempotencyKey() key?: string,
  ) {
    return this.plans.command(c, u, 'waiveTask', user, { taskId, reason: body.reason }, key);
  }

  @Post(`${TASK}/acknowledge`)
  @HttpCode(200)
  @Authenticated('coordinator')
  @ApiOperation({ summary: 'Acknowledge an escalation and take ownership: the climb holds for the stated time' })
  @CommandResponses()
  acknowledge(
    @Param('congressId') c: string,
    @Param('unitCode') u: string,
    @Param('taskId') taskId: string,
    @Body() body: AcknowledgeDto,
    @CurrentUser() user: AuthenticatedUser,
    @IdempotencyKey() key?: string,
  ) {
    return this.plans.command(
      c,
      u,
      'acknowledgeEscalation',
      user,
      { taskId, holdFor: body.holdFor, reason: body.note },
      key,
    );
  }

  @Post(`${PLAN}/agencies/reassign`)
  @HttpCode(200)
  @Authenticated('coordinator')
  @ApiOperation({ summary: 'Move every open task of an agency to another (agencies merged)' })
  @CommandResponses()
  reassignAgency(
    @Param('congressId') c: string,
    @Param('unitCode') u: string,
    @Body() body: ReassignAgencyDto,
    @CurrentUser() user: AuthenticatedUser,
    @IdempotencyKey() key?: string,
  ) {
    return this.plans.command(c, u, 'reassignAgency', user, { ...body }, key);
  }

  @Post(`${PLAN}/comments`)
  @HttpCode(200)
  @Authenticated('coordinator', 'approver')
  @ApiOperation({ summary: 'Send a written comment on the draft plan to the standing section' })
  @CommandResponses()
  comment(
    @Param('congressId') c: string,
    @Param('unitCode') u: string,
    @Body() body: CommentDto,
    @CurrentUser() user: AuthenticatedUser,
    @IdempotencyKey() key?: string,
  ) {
    return this.plans.command(c, u, 'submitComment', user, { text: body.text }, key);
  }

  @Post(`${PLAN}/submit`)
  @HttpCode(200)
  @Authenticated('coordinator')
  @ApiOperation({ summary: 'Send the draft plan to the Standing Committee now' })
  @CommandResponses()
  submit(
    @Param('congressId') c: string,
    @Param('unitCode') u: string,
    @CurrentUser() user: AuthenticatedUser,
    @IdempotencyKey() key?: string,
  ) {
    return this.plans.command(c, u, 'submitPlanForApproval', user, {}, key);
  }

  @Post(`${PLAN}/contingencies/:scenario/request`)
  @HttpCode(200)
  @Authenticated('coordinator')
  @ApiOperation({
    summary: 'Request activation of a contingency scenario (needs approval unless the scenario says not)',
  })
  @CommandResponses()
  requestContingency(
    @Param('congressId') c: string,
    @Param('unitCode') u: string,
    @Param('scenario') scenario: string,
    @Body() body: OptionalReasonDto,
    @CurrentUser() user: AuthenticatedUser,
    @IdempotencyKey() key?: string,
  ) {
    return this.plans.command(c, u, 'requestContingency', user, { scenario, reason: body.reason }, key);
  }

  @Post(`${PLAN}/contingencies/:scenario/emergency`)
  @HttpCode(200)
  @Authenticated('admin')
  @ApiOperation({ summary: 'Emergency activation on behalf of the head, ratified by the Standing Committee later' })
  @CommandResponses()
  emergency(
    @Param('congressId') c: string,
    @Param('unitCode') u: string,
    @Param('scenario') scenario: string,
    @Body() body: ReasonBodyDto,
    @CurrentUser() user: AuthenticatedUser,
    @IdempotencyKey() key?: string,
  ) {
    return this.plans.command(c, u, 'activateContingencyEmergency', user, { scenario, reason: body.reason }, key);
  }

  @Post(`${PLAN}/contingencies/:scenario/deactivate`)
  @HttpCode(200)
  @Authenticated('coordinator')
  @ApiOperation({ summary: 'End a scenario: its tasks are cancelled, suspended tasks resume' })
  @CommandResponses()
  deactivate(
    @Param('congressId') c: string,
    @Param('unitCode') u: string,
    @Param('scenario') scenario: string,
    @Body() body: ReasonBodyDto,
    @CurrentUser() user: AuthenticatedUser,
    @IdempotencyKey() key?: string,
  ) {
    return this.plans.command(c, u, 'deactivateContingency', user, { scenario, reason: body.reason }, key);
  }

  @Post(`${PLAN}/check-ins`)
  @HttpCode(200)
  @Authenticated('coordinator')
  @ApiOperation({
    summary:
      'A check-in report now, for an extraordinary meeting: filed with the reports and sent to the standing ' +
      'section; the regular check-ins keep their dates',
  })
  @CommandResponses()
  checkInNow(
    @Param('congressId') c: string,
    @Param('unitCode') u: string,
    @Body() body: ReasonBodyDto,
    @CurrentUser() user: AuthenticatedUser,
    @IdempotencyKey() key?: string,
  ) {
    return this.plans.command(c, u, 'checkInNow', user, { reason: body.reason }, key);
  }

  @Post(`${PLAN}/stop`)
  @HttpCode(200)
  @Authenticated('coordinator')
  @ApiOperation({ summary: 'Stop a plan: pending approvals are withdrawn and the plan is archived' })
  @CommandResponses()
  stop(
    @Param('congressId') c: string,
    @Param('unitCode') u: string,
    @Body() body: ReasonBodyDto,
    @CurrentUser() user: AuthenticatedUser,
    @IdempotencyKey() key?: string,
  ) {
    return this.plans.command(c, u, 'stopPlan', user, { reason: body.reason }, key);
  }
}
