import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  DEFAULT_TIME_ZONE,
  invalidInput,
  logisticsPlan,
  propagandaPlan,
  provincialCongress,
  securityPlan,
  validateCongress,
  validatePlan,
  type CongressDefinition,
  type UnitPlanDefinition,
} from '../../../libs/domain';
import { Authenticated, CurrentUser } from '../auth/auth.decorators';
import type { AuthenticatedUser } from '../auth/roles';
import { scopeCongressView } from '../auth/unit-scope';
import { CommandResponses, READ_SCHEMAS, ReadResponses } from '../common/api-docs';
import { IdempotencyKey } from '../common/idempotency-key.decorator';
import { CongressGateway } from '../temporal/congress.gateway';
import {
  AddPlanDto,
  CreateCongressDto,
  CreateCongressFromTemplateDto,
  MoveCongressDayDto,
  ReasonDto,
} from './congress.dto';

/** Runs the domain validator on a whole definition: every issue, named by path, in one 400. */
export function assertValidDefinition(congress: CongressDefinition, plans: UnitPlanDefinition[]): void {
  const issues = [
    ...validateCongress(congress),
    ...plans.flatMap((plan, i) => validatePlan(plan, congress, `plans[${i}]`)),
  ];
  const units = new Set<string>();
  plans.forEach((plan, i) => {
    if (units.has(plan.unitCode))
      issues.push({ path: `plans[${i}].unitCode`, message: `"${plan.unitCode}" has two plans` });
    units.add(plan.unitCode);
  });
  if (issues.length > 0) throw invalidInput(issues);
}

@ApiTags('congresses')
@Controller('congresses')
export class CongressesController {
  constructor(private readonly congresses: CongressGateway) {}

  @Post()
  @Authenticated('coordinator')
  @ApiOperation({ summary: 'Create a congress from a full definition and start its unit plans' })
  @ApiCreatedResponse({ description: 'The congress workflow and its plans, with links to the Temporal UI' })
  @CommandResponses({ created: true })
  create(@Body() body: CreateCongressDto, @CurrentUser() user: AuthenticatedUser, @IdempotencyKey() key?: string) {
    const congress: CongressDefinition = { ...body.congress, timeZone: body.congress.timeZone ?? DEFAULT_TIME_ZONE };
    const plans = body.plans as UnitPlanDefinition[];
    assertValidDefinition(congress, plans);
    return this.congresses.start(congress, plans, user, key);
  }

  @Post('from-template')
  @Authenticated('coordinator')
  @ApiOperation({ summary: 'Create a congress from a template (provincial: propaganda, logistics, security)' })
  @ApiCreatedResponse({ description: 'The congress workflow and its plans' })
  @CommandResponses({ created: true })
  fromTemplate(
    @Body() body: CreateCongressFromTemplateDto,
    @CurrentUser() user: AuthenticatedUser,
    @IdempotencyKey() key?: string,
  ) {
    const congress = { ...provincialCongress(body.id, body.startDate), ...(body.name ? { name: body.name } : {}) };
    const plans = [propagandaPlan(), logisticsPlan(), securityPlan()];
    assertValidDefinition(congress, plans);
    return this.congresses.start(congress, plans, user, key);
  }

  @Get(':congressId')
  @Authenticated('viewer', 'coordinator', 'approver')
  @ApiOperation({ summary: "A congress: its plans' progress, active contingencies and decisions" })
  @ReadResponses(READ_SCHEMAS.congress)
  async view(@Param('congressId') congressId: string, @CurrentUser() user: AuthenticatedUser) {
    return scopeCongressView(await this.congresses.view(congressId), user.units);
  }

  @Post(':congressId/move')
  @HttpCode(200)
  @Authenticated('coordinator')
  @ApiOperation({ summary: 'Move congress day: every plan recomputes its deadlines' })
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
  addPlan(
    @Param('congressId') congressId: string,
    @Body() body: AddPlanDto,
    @CurrentUser() user: AuthenticatedUser,
    @IdempotencyKey() key?: string,
  ) {
    return this.congresses.update(congressId, 'addPlan', user, { plan: body.plan }, key);
  }
}
