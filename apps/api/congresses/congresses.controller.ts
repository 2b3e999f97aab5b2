import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  DomainError,
  admitCongress,
  invalidInput,
  type CongressDefinition,
  type UnitPlanDefinition,
} from '../../../libs/domain';
import { instantiateTemplate } from '../../../libs/templates';
import { Authenticated, CurrentUser } from '../auth/auth.decorators';
import type { AuthenticatedUser } from '../auth/roles';
import { scopeCongressDayPreview, scopeCongressView } from '../auth/unit-scope';
import { CommandResponses, DryRunResponses, READ_SCHEMAS, ReadResponses } from '../common/api-docs';
import { IdempotencyKey } from '../common/idempotency-key.decorator';
import { CongressGateway } from '../temporal/congress.gateway';
import { TemplateCatalogue } from '../templates/template-catalogue';
import {
  AddPlanDto,
  CongressDayDto,
  CreateCongressDto,
  CreateCongressFromTemplateDto,
  MoveCongressDayDto,
  ReasonDto,
  SimulateCongressDto,
} from './congress.dto';
import { simulateAdmitted, validationSummary } from './congress-simulation';

/**
 * Admits a congress from a template: the request names only some fields (startDate, name), so issues about the
 * congress are named by those fields, not by a path into a definition the caller never wrote.
 */
function admitFromTemplate(congress: CongressDefinition, plans: UnitPlanDefinition[], now: number) {
  try {
    return admitCongress(congress, plans, now);
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    throw invalidInput(err.issues.map((i) => ({ ...i, path: i.path.replace(/^congress\./, '') })));
  }
}

@ApiTags('congresses')
@Controller('congresses')
export class CongressesController {
  constructor(
    private readonly congresses: CongressGateway,
    private readonly templates: TemplateCatalogue,
  ) {}

  @Post()
  @Authenticated('coordinator')
  @ApiOperation({ summary: 'Create a congress from a full definition and start its unit plans' })
  @ApiCreatedResponse({ description: 'The congress workflow and its plans, with links to the Temporal UI' })
  @CommandResponses({ created: true })
  create(@Body() body: CreateCongressDto, @CurrentUser() user: AuthenticatedUser, @IdempotencyKey() key?: string) {
    const plans = body.plans as UnitPlanDefinition[];
    const congress = admitCongress(body.congress, plans, Date.now());
    return this.congresses.start(congress, plans, user, key);
  }

  @Post('from-template')
  @Authenticated('coordinator')
  @ApiOperation({
    summary:
      'Create a congress from a template (GET /templates lists them), with its name, number, term, end date ' +
      'or people changed',
  })
  @ApiCreatedResponse({ description: 'The congress workflow and its plans' })
  @CommandResponses({ created: true })
  fromTemplate(
    @Body() body: CreateCongressFromTemplateDto,
    @CurrentUser() user: AuthenticatedUser,
    @IdempotencyKey() key?: string,
  ) {
    const { template: templateId, ...overrides } = body;
    const made = instantiateTemplate(this.templates.get(templateId), overrides);
    // People are named by their index in the request (people[2].id), as the caller wrote them.
    if (made.issues.length > 0) throw invalidInput(made.issues);
    const congress = admitFromTemplate(made.congress, made.plans, Date.now());
    return this.congresses.start(congress, made.plans, user, key);
  }

  @Post('simulate')
  @HttpCode(200)
  @Authenticated('coordinator', 'viewer')
  @ApiOperation({
    summary:
      'Simulate a congress and its plans (the body of POST /congresses, with lateDays, scenarios and start) on a ' +
      'virtual clock: its reminders, escalations, check-ins, approvals and closing, in Vietnamese local time. ' +
      'Nothing is started',
  })
  @DryRunResponses(READ_SCHEMAS.simulation)
  simulate(@Body() body: SimulateCongressDto) {
    const { lateDays, scenarios, start } = body;
    const plans = body.plans as UnitPlanDefinition[];
    const congress = admitCongress(body.congress, plans, Date.now());
    return simulateAdmitted(congress, plans, { lateDays, scenarios, start });
  }

  @Post('validate')
  @HttpCode(200)
  @Authenticated('coordinator', 'viewer')
  @ApiOperation({
    summary: 'Check a congress and its plans as POST /congresses would (a dry run): 200 when admissible, else 400',
  })
  @DryRunResponses(READ_SCHEMAS.validation)
  validate(@Body() body: CreateCongressDto) {
    const plans = body.plans as UnitPlanDefinition[];
    admitCongress(body.congress, plans, Date.now());
    return validationSummary(plans);
  }

  @Get(':congressId')
  @Authenticated('viewer', 'coordinator', 'approver')
  @ApiOperation({ summary: "A congress: its plans' progress, active contingencies and decisions" })
  @ReadResponses(READ_SCHEMAS.congress)
  async view(@Param('congressId') congressId: string, @CurrentUser() user: AuthenticatedUser) {
    return scopeCongressView(await this.congresses.view(congressId), user.units);
  }

  @Get(':congressId/congress-day/preview')
  @Authenticated('coordinator', 'viewer')
  @ApiOperation({
    summary: 'Preview a move of congress day: tasks that would become overdue or at risk, plans that would close',
  })
  @ReadResponses()
  async preview(
    @Param('congressId') congressId: string,
    @Query() query: CongressDayDto,
    @CurrentUser() user: AuthenticatedUser,
  ) {
    const move = { startDate: query.startDate, endDate: query.endDate };
    return scopeCongressDayPreview(await this.congresses.previewMove(congressId, move), user.units);
  }

  @Post(':congressId/move')
  @HttpCode(200)
  @Authenticated('coordinator')
  @ApiOperation({
    summary:
      'Move congress day: every plan recomputes its deadlines. A move that ends the congress before now closes plans ' +
      'and needs confirmClosingPlans: true (409 without it)',
  })
  @CommandResponses()
  move(
    @Param('congressId') congressId: string,
    @Body() body: MoveCongressDayDto,
    @CurrentUser() user: AuthenticatedUser,
    @IdempotencyKey() key?: string,
  ) {
    return this.congresses.update(congressId, 'moveCongressDay', user, { ...body }, key);
  }

  @Post(':congressId/contingencies/:scenario/activate')
  @HttpCode(200)
  @Authenticated('admin')
  @ApiOperation({ summary: 'Activate a scenario in every plan that declares it (congress-wide decision)' })
  @CommandResponses()
  activate(
    @Param('congressId') congressId: string,
    @Param('scenario') scenario: string,
    @Body() body: ReasonDto,
    @CurrentUser() user: AuthenticatedUser,
    @IdempotencyKey() key?: string,
  ) {
    return this.congresses.update(congressId, 'activateContingency', user, { scenario, reason: body.reason }, key);
  }

  @Post(':congressId/contingencies/:scenario/deactivate')
  @HttpCode(200)
  @Authenticated('admin')
  @ApiOperation({ summary: 'End a congress-wide scenario: suspended tasks resume with recomputed deadlines' })
  @CommandResponses()
  deactivate(
    @Param('congressId') congressId: string,
    @Param('scenario') scenario: string,
    @Body() body: ReasonDto,
    @CurrentUser() user: AuthenticatedUser,
    @IdempotencyKey() key?: string,
  ) {
    return this.congresses.update(congressId, 'deactivateContingency', user, { scenario, reason: body.reason }, key);
  }

  @Post(':congressId/plans')
  @Authenticated('coordinator')
  @ApiOperation({ summary: "Add a unit's plan to a running congress" })
  @ApiCreatedResponse({
    description: 'The plan was started',
    schema: { example: { ok: true, workflowId: 'plan/dh-tinh-xxi/BPYT' } },
  })
  @CommandResponses({ created: true })
  async addPlan(
    @Param('congressId') congressId: string,
    @Body() body: AddPlanDto,
    @CurrentUser() user: AuthenticatedUser,
    @IdempotencyKey() key?: string,
  ) {
    await this.congresses.checkAddedPlan(congressId, body.plan);
    return this.congresses.update(congressId, 'addPlan', user, { plan: body.plan }, key);
  }
}
