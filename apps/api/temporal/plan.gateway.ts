/**
 * The only door from the API to plan workflows: updates with request ids, queries, and listing through
 * visibility. Controllers speak in domain terms; Temporal errors are mapped by TemporalExceptionFilter.
 */
import { ConflictException, Inject, Injectable } from '@nestjs/common';
import { WorkflowNotFoundError, type WorkflowExecutionInfo } from '@temporalio/client';
import type { ApiEnv } from '../../../libs/config';
import {
  SA,
  congressQueries,
  congressWorkflowId,
  planQueries,
  planUpdates,
  planWorkflowId,
  parsePlanWorkflowId,
  type PlanCommandPayload,
  type PlanView,
} from '../../../libs/contracts';
import {
  addedTasksCycleIssues,
  invalidInput,
  type Actor,
  type CommandResult,
  type PlanCommandType,
  type PlanState,
  type TaskDefinition,
} from '../../../libs/domain';
import { API_ENV } from '../api.config';
import type { AuthenticatedUser } from '../auth/roles';
import { TemporalClientHolder } from './temporal-client.holder';

export interface PlanListFilter {
  congress?: string;
  unit?: string;
  status?: string;
  overdue?: boolean;
  contingency?: string;
  approver?: string;
  offset: number;
  limit: number;
}

export interface PlanListItem {
  workflowId: string;
  congressId: string;
  unitCode: string;
  status?: string;
  phase?: string;
  overdueCount?: number;
  escalationLevel?: number;
  nextDeadline?: string;
  contingency?: string;
  running: boolean;
  startedAt: string;
  unitName?: string;
  links: { self: string; temporalUi: string };
}

export interface PlanListPage {
  items: PlanListItem[];
  offset: number;
  limit: number;
}

/**
 * How long a listing is reused for the same filter. Visibility is eventually consistent anyway (a second
 * behind the workflows), and the dev server allows only a few visibility calls per second per namespace.
 */
const LIST_REUSE_MS = 1000;

/**
 * Quotes a filter value as a string literal of a visibility query. The DTO already holds each filter to its
 * pattern; this is the last guard: control characters (a NUL makes the dev server fail the whole call) are
 * refused as the client's mistake, and backslashes and quotes are escaped so a value stays one literal.
 */
export function visibilityLiteral(value: string, field: string): string {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) {
    throw invalidInput([{ path: field, message: 'must not contain control characters' }]);
  }
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** A command sent to a plan whose workflow has ended (stopped or closed): 409, it exists but takes no changes. */
export class PlanFinishedError extends ConflictException {
  constructor(message: string) {
    super({ code: 'PLAN_FINISHED', message });
  }
}

export function actorOf(user: AuthenticatedUser): Actor {
  return { id: user.sub, name: user.name, roles: user.roles };
}

@Injectable()
export class PlanGateway {
  /** Identical listings within LIST_REUSE_MS share one visibility call (the dev server rate-limits visibility). */
  private readonly recentLists = new Map<string, { at: number; result: Promise<PlanListPage> }>();

  constructor(
    private readonly temporal: TemporalClientHolder,
    @Inject(API_ENV) private readonly env: ApiEnv,
  ) {}

  uiLink(workflowId: string): string {
    const base = this.env.TEMPORAL_UI_URL.replace(/\/$/, '');
    return `${base}/namespaces/${encodeURIComponent(this.env.TEMPORAL_NAMESPACE)}/workflows/${encodeURIComponent(workflowId)}`;
  }

  private handle(congressId: string, unitCode: string) {
    return this.temporal.client.workflow.getHandle(planWorkflowId(congressId, unitCode));
  }

  /**
   * Runs a plan command as an update. The Idempotency-Key (if any) is the command's request id: the plan
   * remembers the result under it and answers a retry with that result, marked `replayed: true`. It is not
   * used as the update id as well: Temporal would then answer a retry itself, from the first update's
   * outcome, without the mark (and only within one run, while the plan's own log survives continue-as-new).
   */
  async command<T extends PlanCommandType>(
    congressId: string,
    unitCode: string,
    type: T,
    user: AuthenticatedUser,
    payload: Omit<PlanCommandPayload<T>, 'actor' | 'requestId'>,
    idempotencyKey?: string,
  ): Promise<CommandResult> {
    const args = { ...payload, actor: actorOf(user), ...(idempotencyKey ? { requestId: idempotencyKey } : {}) };
    try {
      return await this.temporal.call(
        () =>
          this.handle(congressId, unitCode).executeUpdate(planUpdates[type] as never, {
            args: [args] as never,
          }) as Promise<CommandResult>,
      );
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) await this.throwIfFinished(congressId, unitCode);
      throw err;
    }
  }

  /**
   * Temporal answers an update to an ended workflow as it answers one to a workflow that never existed (NOT
   * FOUND). Telling them apart takes a look at the execution: one that ended is a 409, not a 404.
   */
  private async throwIfFinished(congressId: string, unitCode: string): Promise<void> {
    const description = await this.temporal
      .call(() => this.handle(congressId, unitCode).describe())
      .catch(() => undefined);
    if (!description || description.status.name === 'RUNNING') return;
    const planStatus = description.typedSearchAttributes.get(SA.status);
    const how = planStatus === 'stopped' ? 'was stopped' : planStatus === 'closed' ? 'was closed' : 'has ended';
    throw new PlanFinishedError(`plan ${congressId}/${unitCode} ${how} and is finished: it accepts no more changes`);
  }

  /** The state of every plan of the congress still running. */
  async runningPlanStates(congressId: string): Promise<PlanState[]> {
    const congress = await this.temporal.call(() =>
      this.temporal.client.workflow.getHandle(congressWorkflowId(congressId)).query(congressQueries.view),
    );
    const live = congress.units.filter((unit) => congress.finished[unit] === undefined);
    return Promise.all(
      live.map((unit) => this.temporal.call(() => this.handle(congressId, unit).query(planQueries.state))),
    );
  }

  /**
   * Refuses (400, naming the field) tasks to be added to a running plan that would close a dependency circle
   * with the congress's running plans. Even a task waiting only on its own plan can: another unit may already
   * wait on it (a plan may name a task of another unit before it exists).
   */
  async checkAddedTasks(
    congressId: string,
    unitCode: string,
    tasks: Array<{ task: TaskDefinition; path: string }>,
  ): Promise<void> {
    const issues = addedTasksCycleIssues(await this.runningPlanStates(congressId), unitCode, tasks);
    if (issues.length > 0) throw invalidInput(issues);
  }

  async view(congressId: string, unitCode: string): Promise<PlanView & { links: { temporalUi: string } }> {
    const id = planWorkflowId(congressId, unitCode);
    const view = await this.temporal.call(() => this.handle(congressId, unitCode).query(planQueries.view));
    return { ...view, links: { temporalUi: this.uiLink(id) } };
  }

  query<R>(congressId: string, unitCode: string, name: keyof typeof planQueries, arg?: unknown): Promise<R> {
    const handle = this.handle(congressId, unitCode);
    return (
      arg === undefined
        ? handle.query(planQueries[name] as never)
        : handle.query(planQueries[name] as never, arg as never)
    ) as Promise<R>;
  }

  /**
   * Lists plans through visibility (search attributes). Paged by offset: a congress has tens of plans, and the
   * visibility store is rate-limited on the dev server, so one list call serves one page.
   */
  async list(filter: PlanListFilter): Promise<PlanListPage> {
    const clauses = [`${SA.kind.name} = 'plan'`];
    if (filter.congress) clauses.push(`${SA.congress.name} = ${visibilityLiteral(filter.congress, 'congress')}`);
    if (filter.unit) clauses.push(`${SA.unit.name} = ${visibilityLiteral(filter.unit, 'unit')}`);
    if (filter.status) clauses.push(`${SA.status.name} = ${visibilityLiteral(filter.status, 'status')}`);
    if (filter.overdue === true) clauses.push(`${SA.overdueCount.name} > 0`);
    if (filter.overdue === false) clauses.push(`${SA.overdueCount.name} = 0`);
    if (filter.contingency)
      clauses.push(`${SA.contingency.name} = ${visibilityLiteral(filter.contingency, 'contingency')}`);
    if (filter.approver)
      clauses.push(`${SA.pendingApprovals.name} = ${visibilityLiteral(`approver:${filter.approver}`, 'approver')}`);
    const key = JSON.stringify([clauses, filter.offset, filter.limit]);
    const recent = this.recentLists.get(key);
    if (recent && Date.now() - recent.at < LIST_REUSE_MS) return recent.result;
    const result = this.listPage(clauses.join(' AND '), filter.offset, filter.limit);
    this.recentLists.set(key, { at: Date.now(), result });
    result.catch(() => this.recentLists.delete(key));
    for (const [k, entry] of this.recentLists) if (Date.now() - entry.at >= LIST_REUSE_MS) this.recentLists.delete(k);
    return result;
  }

  private async listPage(query: string, offset: number, limit: number): Promise<PlanListPage> {
    const items: PlanListItem[] = [];
    let index = 0;
    const pageSize = Math.min(1000, offset + limit);
    await this.temporal.call(async () => {
      for await (const info of this.temporal.client.workflow.list({ query, pageSize })) {
        if (index++ < offset) continue;
        const item = this.toListItem(info);
        if (item) items.push(item);
        if (items.length >= limit) break;
      }
    });
    return { items, offset, limit };
  }

  private toListItem(info: WorkflowExecutionInfo): PlanListItem | undefined {
    const ids = parsePlanWorkflowId(info.workflowId);
    if (!ids) return undefined;
    const sa = info.typedSearchAttributes;
    const next = sa.get(SA.nextDeadline);
    return {
      workflowId: info.workflowId,
      congressId: ids.congressId,
      unitCode: ids.unitCode,
      status: sa.get(SA.status),
      phase: sa.get(SA.phase),
      overdueCount: sa.get(SA.overdueCount),
      escalationLevel: sa.get(SA.escalationLevel),
      ...(next ? { nextDeadline: next.toISOString() } : {}),
      contingency: sa.get(SA.contingency),
      running: info.status.name === 'RUNNING',
      startedAt: info.startTime.toISOString(),
      ...(typeof info.memo?.unitName === 'string' ? { unitName: info.memo.unitName } : {}),
      links: { self: `/plans/${ids.congressId}/${ids.unitCode}`, temporalUi: this.uiLink(info.workflowId) },
    };
  }
}
