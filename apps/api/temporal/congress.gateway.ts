/**
 * The door from the API to congress workflows: start, updates, the view query and the preview of a move of
 * congress day. Keyed requests follow the one idempotency policy (libs/domain/idempotency.ts): a creation's key
 * and request fingerprint travel in the workflow's memo, an update's key is the command's request id.
 */
import { ConflictException, Inject, Injectable } from '@nestjs/common';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import type { ApiEnv } from '../../../libs/config';
import {
  CONGRESS_WORKFLOW_TYPE,
  congressStartSearchAttributes,
  congressQueries,
  congressUpdates,
  congressWorkflowId,
  planWorkflowId,
  planQueries,
  type CongressInput,
  type CongressView,
} from '../../../libs/contracts';
import {
  CONGRESS_LEVEL_WORDS,
  addedPlanCycleIssues,
  dayMonthYear,
  externalDependencies,
  invalidInput,
  previewCongressDayMove,
  replayOf,
  requestFingerprint,
  type CongressDayMovePreview,
  type CongressDefinition,
  type UnitPlanDefinition,
} from '../../../libs/domain';
import { API_ENV } from '../api.config';
import type { AuthenticatedUser } from '../auth/roles';
import { actorOf, PlanGateway } from './plan.gateway';
import { TemporalClientHolder } from './temporal-client.holder';

/** How long creating a congress waits for its plans to exist before answering 503 (safe to retry with its key). */
const AWAIT_PLANS_MS = 60_000;

export interface StartedCongress {
  workflowId: string;
  congressId: string;
  plans: Array<{ unitCode: string; workflowId: string; links: { self: string; temporalUi: string } }>;
  links: { self: string; temporalUi: string };
  replayed?: boolean;
}

/** A congress whose id is taken (a start that is not a replay): 409. */
export class CongressAlreadyExistsError extends ConflictException {
  constructor(message: string) {
    super({ code: 'ALREADY_EXISTS', message });
  }
}

/** A command sent to a congress whose workflow has ended (every plan finished): 409, it exists but takes none. */
export class CongressFinishedError extends ConflictException {
  constructor(message: string) {
    super({ code: 'CONGRESS_FINISHED', message });
  }
}

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
   * Starts the congress workflow, which starts its plans, and answers once those plans exist. The workflow ID is
   * the congress's business key, so a second start fails; with the same Idempotency-Key and the same request it
   * is a replay and returns the first answer; the same key with another request is refused (409).
   */
  async start(
    congress: CongressDefinition,
    plans: UnitPlanDefinition[],
    user: AuthenticatedUser,
    idempotencyKey?: string,
  ): Promise<StartedCongress> {
    const workflowId = congressWorkflowId(congress.id);
    const input: CongressInput = { kind: 'start', congress, plans };
    const fingerprint = requestFingerprint('createCongress', user.sub, { congress, plans });
    try {
      await this.temporal.call(() =>
        this.temporal.client.workflow.start(CONGRESS_WORKFLOW_TYPE, {
          workflowId,
          taskQueue: this.env.TEMPORAL_TASK_QUEUE,
          args: [input],
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
          workflowIdConflictPolicy: 'FAIL',
          typedSearchAttributes: congressStartSearchAttributes(congress.id),
          memo: {
            congressName: congress.name,
            startedBy: user.sub,
            idempotencyKey: idempotencyKey ?? '',
            requestFingerprint: idempotencyKey ? fingerprint : '',
          },
          staticSummary: congress.name,
          staticDetails:
            `${CONGRESS_LEVEL_WORDS[congress.level]} · ${dayMonthYear(congress.startDate)} → ` +
            `${dayMonthYear(congress.endDate)} · ${plans.length} bộ phận`,
        }),
      );
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError && idempotencyKey) {
        const existing = await this.temporal.call(() => this.temporal.client.workflow.getHandle(workflowId).describe());
        if (existing.memo?.idempotencyKey === idempotencyKey) {
          const first = { fingerprint: String(existing.memo?.requestFingerprint ?? ''), type: 'createCongress' };
          const replayed = replayOf({ ...first, result: this.describe(congress, plans) }, idempotencyKey, fingerprint);
          await this.awaitPlans(congress.id);
          return replayed!;
        }
      }
      if (err instanceof WorkflowExecutionAlreadyStartedError) {
        throw new CongressAlreadyExistsError(`congress ${congress.id} already exists`);
      }
      throw err;
    }
    await this.awaitPlans(congress.id);
    return this.describe(congress, plans);
  }

  /**
   * Waits until the congress has started every plan it was created with (they exist and answer queries). Longer
   * than other calls: a congress of many large plans on a busy server takes some seconds to start them.
   */
  private awaitPlans(congressId: string): Promise<unknown> {
    const handle = this.temporal.client.workflow.getHandle(congressWorkflowId(congressId));
    return this.temporal.call(() => handle.executeUpdate(congressUpdates.awaitPlans, { args: [] }), AWAIT_PLANS_MS);
  }

  /** What moving congress day would do to each running plan, computed from their states; changes nothing. */
  async previewMove(congressId: string, move: { startDate: string; endDate: string }): Promise<CongressDayMovePreview> {
    return previewCongressDayMove(await this.plans.runningPlanStates(congressId), move, Date.now());
  }

  /**
   * Refuses (400, naming the field) a plan whose dependencies would close a circle with the running plans' tasks,
   * those added since their start included: the congress workflow does not hold its plans' tasks. A plan that
   * waits on no other unit cannot close one (a circle must leave it), and is not checked.
   */
  async checkAddedPlan(congressId: string, plan: UnitPlanDefinition): Promise<void> {
    if (externalDependencies(plan).length === 0) return;
    const issues = addedPlanCycleIssues(await this.plans.runningPlanStates(congressId), plan, 'plan');
    if (issues.length > 0) throw invalidInput(issues);
  }

  async view(congressId: string): Promise<CongressView & { links: { temporalUi: string } }> {
    const id = congressWorkflowId(congressId);
    const view = await this.temporal.call(() =>
      this.temporal.client.workflow.getHandle(id).query(congressQueries.view),
    );
    return {
      ...view,
      progress: await this.liveProgress(congressId, view),
      links: { temporalUi: this.plans.uiLink(id) },
    };
  }

  /**
   * Each running plan's figures as they are now: a plan reports to its congress only what the congress acts on
   * (status, overdue tasks, escalation, contingencies), so the done count it last reported may be behind. A plan
   * that cannot answer (still starting) keeps its last report; finished plans' last reports are final.
   */
  private async liveProgress(congressId: string, view: CongressView): Promise<CongressView['progress']> {
    const live = view.units.filter((unit) => view.finished[unit] === undefined);
    const summaries = await Promise.all(
      live.map((unit) =>
        this.temporal.client.workflow
          .getHandle(planWorkflowId(congressId, unit))
          .query(planQueries.summary)
          .catch(() => undefined),
      ),
    );
    const progress = { ...view.progress };
    live.forEach((unit, i) => {
      const summary = summaries[i];
      if (summary) progress[unit] = summary;
    });
    return progress;
  }

  async update<K extends Exclude<keyof typeof congressUpdates, 'awaitPlans'>>(
    congressId: string,
    name: K,
    user: AuthenticatedUser,
    payload: Record<string, unknown>,
    idempotencyKey?: string,
  ): Promise<unknown> {
    const handle = this.temporal.client.workflow.getHandle(congressWorkflowId(congressId));
    // The key is the command's request id, not the update id: the workflow then answers a retry itself, marked
    // `replayed`, and refuses the key for another request (Temporal would answer both from the first outcome).
    try {
      return await this.temporal.call(() =>
        handle.executeUpdate(congressUpdates[name] as never, {
          args: [
            { ...payload, actor: actorOf(user), ...(idempotencyKey ? { requestId: idempotencyKey } : {}) },
          ] as never,
        }),
      );
    } catch (err) {
      // Temporal answers an update to an ended workflow as one to a workflow that never existed (see PlanGateway).
      if (err instanceof WorkflowNotFoundError) {
        const ended = await this.temporal
          .call(() => handle.describe())
          .then((d) => d.status.name !== 'RUNNING')
          .catch(() => false);
        if (ended) throw new CongressFinishedError(`congress ${congressId} has ended: it accepts no more changes`);
      }
      throw err;
    }
  }
}
