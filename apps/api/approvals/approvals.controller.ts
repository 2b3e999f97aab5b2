import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ApprovalView } from '../../../libs/domain';
import { Authenticated, CurrentUser } from '../auth/auth.decorators';
import type { AuthenticatedUser } from '../auth/roles';
import { CommandResponses, READ_SCHEMAS, ReadResponses } from '../common/api-docs';
import { IdempotencyKey } from '../common/idempotency-key.decorator';
import { DecisionDto } from '../plans/plan-commands.dto';
import { PlanGateway } from '../temporal/plan.gateway';

export interface InboxItem extends ApprovalView {
  congressId: string;
  unitCode: string;
  links: { decide: string; plan: string; temporalUi: string };
}

@ApiTags('approvals')
@Controller('approvals')
export class ApprovalsController {
  constructor(private readonly plans: PlanGateway) {}

  @Get('inbox')
  @Authenticated('approver')
  @ApiOperation({ summary: 'Pending approvals I may decide on, across every plan' })
  @ReadResponses(READ_SCHEMAS.inbox)
  async inbox(@CurrentUser() user: AuthenticatedUser): Promise<{ items: InboxItem[] }> {
    const page = await this.plans.list({ approver: user.sub, offset: 0, limit: 200 });
    const items: InboxItem[] = [];
    for (const plan of page.items) {
      if (user.units && !user.units.includes(plan.unitCode)) continue;
      const pending = await this.plans.query<ApprovalView[]>(plan.congressId, plan.unitCode, 'pendingApprovals');
      for (const approval of pending) {
        const mine = approval.approvers.includes(user.sub) && !approval.decisions.some((d) => d.by === user.sub);
        if (!mine) continue;
        items.push({
          ...approval,
          congressId: plan.congressId,
          unitCode: plan.unitCode,
          links: {
            decide: `/approvals/${plan.congressId}/${plan.unitCode}/${approval.id}/decision`,
            plan: plan.links.self,
            temporalUi: plan.links.temporalUi,
          },
        });
      }
    }
    return { items };
  }

  @Post(':congressId/:unitCode/:approvalId/decision')
  @HttpCode(200)
  @Authenticated('approver')
  @ApiOperation({
    summary: 'Approve or reject, with a comment; a decision from outside the approver group is refused and recorded',
  })
  @CommandResponses()
  decide(
    @Param('congressId') congressId: string,
    @Param('unitCode') unitCode: string,
    @Param('approvalId') approvalId: string,
    @Body() body: DecisionDto,
    @CurrentUser() user: AuthenticatedUser,
    @IdempotencyKey() key?: string,
  ) {
    return this.plans.command(
      congressId,
      unitCode,
      'decide',
      user,
      { approvalId, decision: body.decision, comment: body.comment },
      key,
    );
  }
}
