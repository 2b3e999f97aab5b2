import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Observable } from 'rxjs';
import { planWorkflowId } from '../../../libs/contracts';
import { PlanGateway } from '../temporal/plan.gateway';

/**
 * Every read of one plan (state, timeline, escalations, audit…) answers with a `Link` header to the plan's
 * workflow in the Temporal UI, whatever the shape of its body.
 */
@Injectable()
export class TemporalUiLinkInterceptor implements NestInterceptor {
  constructor(private readonly plans: PlanGateway) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const { congressId, unitCode } = http.getRequest<Request>().params ?? {};
    if (typeof congressId === 'string' && typeof unitCode === 'string') {
      const link = this.plans.uiLink(planWorkflowId(congressId, unitCode));
      http.getResponse<Response>().setHeader('Link', `<${link}>; rel="temporal-ui"`);
    }
    return next.handle();
  }
}
