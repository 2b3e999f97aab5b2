/** The door from the API to congress workflows: start (with an idempotency key), updates and the view query. */
import { Inject, Injectable } from '@nestjs/common';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { ApiEnv } from '../../../libs/config';
import {
  CONGRESS_WORKFLOW_TYPE,
  SA,
  congressQueries,
  congressUpdates,
  congressWorkflowId,
  planWorkflowId,
  type CongressInput,
  type CongressView,
} from '../../../libs/contracts';
import type { CongressDefinition, UnitPlanDefinition } from '../../../libs/domain';
import { API_ENV } from '../api.config';
import type { AuthenticatedUser } from '../auth/roles';
import { actorOf, PlanGateway } from './plan.gateway';
import { TemporalClientHolder } from './temporal-client.holder';

export interface StartedCongress {
  workflowId: string;
  congressId: string;
  plans: Array<{ unitCode: string; workflowId: string; links: { self: string; temporalUi: string } }>;
  links: { self: string; temporalUi: string };
  replayed?: boolean;
}

export class CongressAlreadyExistsError extends Error {}

@Injectable()
export class CongressGateway {
  constructor(
    private readonly temporal: TemporalClientHolder,
    private readonly plans: PlanGateway,
    @Inject(API_ENV) private readonly env: ApiEnv,
  ) {}

  private describe(congress: CongressDefinition, plans: UnitPlanDefinition[]): StartedCongress {
    const workflowId = congressWorkflowId(congress.id);
    return {
      workflowId,
      congressId: congress.id,
      plans: plans.map((p) => {
        const id = planWorkflowId(congress.id, p.unitCode);
        return {
          unitCode: p.unitCode,
          workflowId: id,
          links: { self: `/plans/${congress.id}/${p.unitCode}`, temporalUi: this.plans.uiLink(id) },
        };
      }),
      links: { self: `/congresses/${congress.id}`, temporalUi: this.plans.uiLink(workflowId) },
    };
  }

  /**
   * Starts the congress workflow, which starts its plans. The workflow ID is the congress's business key, so
   * a second start fails; with the same Idempotency-Key it is a replay and returns the first answer.
   */
  async start(
    congress: CongressDefinition,
    plans: UnitPlanDefinition[],
    user: AuthenticatedUser,
    idempotencyKey?: string,
  ): Promise<StartedCongress> {
    const workflowId = congressWorkflowId(congress.id);
    const input: CongressInput = { kind: 'start', congress, plans };
    try {
      await this.temporal.call(() =>
        this.temporal.client.workflow.start(CONGRESS_WORKFLOW_TYPE, {
          workflowId,
          taskQueue: this.env.TEMPORAL_TASK_QUEUE,
          args: [input],
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
          workflowIdConflictPolicy: 'FAIL',
          typedSearchAttributes: [
            { key: SA.congress, value: congress.id },
            { key: SA.kind, value: 'congress' },
          ],
          memo: { congressName: congress.name, startedBy: user.sub, idempotencyKey: idempotencyKey ?? '' },
          staticSummary: congress.name,
          staticDetails: `${congress.level} · ${congress.startDate} → ${congress.endDate} · ${plans.length} bộ phận`,
        }),
      );
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError && idempotencyKey) {
        const existing = await this.temporal.call(() => this.temporal.client.workflow.getHandle(workflowId).describe());
        if (existing.memo?.idempotencyKey === idempotencyKey)
          return { ...this.describe(congress, plans), replayed: true };
      }
      if (err instanceof WorkflowExecutionAlreadyStartedError) {
        throw new CongressAlreadyExistsError(`congress ${congress.id} already exists`);
      }
      throw err;
    }
    return this.describe(congress, plans);
  }

  async view(congressId: string): Promise<CongressView & { links: { temporalUi: string } }> {
    const id = congressWorkflowId(congressId);
    const view = await this.temporal.call(() =>
      this.temporal.client.workflow.getHandle(id).query(congressQueries.view),
    );
    return { ...view, links: { temporalUi: this.plans.uiLink(id) } };
  }

  async update<K extends keyof typeof congressUpdates>(
    congressId: string,
    name: K,
    user: AuthenticatedUser,
    payload: Record<string, unknown>,
    idempotencyKey?: string,
  ): Promise<unknown> {
    const handle = this.temporal.client.workflow.getHandle(congressWorkflowId(congressId));
    return this.temporal.call(() =>
      handle.executeUpdate(congressUpdates[name] as never, {
        args: [{ ...payload, actor: actorOf(user), ...(idempotencyKey ? { requestId: idempotencyKey } : {}) }] as never,
        ...(idempotencyKey ? { updateId: `${name}:${idempotencyKey}` } : {}),
      }),
    );
  }
}
