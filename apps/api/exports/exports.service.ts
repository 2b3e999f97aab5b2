/**
 * The office's formats over the API: reads a plan's state through the plan gateway and hands it to the pure
 * formatters in libs/formats; imports tasks through the plan's own addTask command; mints, checks and revokes
 * calendar feed links; serves the reports the worker filed.
 */
import { createHash, createHmac } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { GoneException, Inject, Injectable, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import type { ApiEnv } from '../../../libs/config';
import { type PlanState } from '../../../libs/domain';
import { calendarFeed, type FeedScope } from '../../../libs/formats/calendar-feed';
import { newFeedId, signFeedToken, verifyFeedToken, type FeedTokenClaims } from '../../../libs/formats/feed-token';
import { ganttSvg } from '../../../libs/formats/gantt';
import { unitReportDocx } from '../../../libs/formats/party-document';
import { checkImportedTasks, importReason } from '../../../libs/formats/task-import';
import { importContextOf, tasksFromXlsx, tasksToCsv, tasksToXlsx } from '../../../libs/formats/task-sheet';
import { folderFor } from '../../../activities/reports.activities';
import { API_ENV } from '../api.config';
import type { AuthenticatedUser } from '../auth/roles';
import { actorOf, PlanGateway } from '../temporal/plan.gateway';
import { FeedRevocations } from './feed-revocations';

export type ExportFormat = 'xlsx' | 'csv' | 'docx' | 'svg';

/** The export an Accept header asks for, if any (JSON otherwise). */
export function exportFormatFor(accept: string | undefined): ExportFormat | undefined {
  const wanted = (accept ?? '').toLowerCase();
  if (wanted.includes('text/csv')) return 'csv';
  if (wanted.includes('spreadsheetml') || wanted.includes('application/vnd.ms-excel')) return 'xlsx';
  if (wanted.includes('wordprocessingml')) return 'docx';
  if (wanted.includes('image/svg+xml')) return 'svg';
  return undefined;
}

/** Reports the worker files are named `<key>.<ext>`; only these may be downloaded (not the archive or audit). */
const REPORT_FILE = /^(check-in_\d+(?:_\d+)?|closing-report|summary-conference-report)\.(docx|md|json)$/;

@Injectable()
export class ExportsService {
  private readonly revocations: FeedRevocations;
  private readonly feedSecret: string | undefined;

  constructor(
    private readonly plans: PlanGateway,
    @Inject(API_ENV) private readonly env: ApiEnv,
  ) {
    this.revocations = new FeedRevocations(path.resolve(env.FEED_REVOCATIONS_FILE));
    // A key of its own for feed links, so that a feed token can never be taken for a bearer token or back.
    this.feedSecret =
      env.FEED_TOKEN_SECRET ??
      (env.JWT_SECRET
        ? createHmac('sha256', env.JWT_SECRET).update('tminus calendar feed links').digest('hex')
        : undefined);
  }

  state(congressId: string, unitCode: string): Promise<PlanState> {
    return this.plans.query<PlanState>(congressId, unitCode, 'state');
  }

  async export(congressId: string, unitCode: string, format: ExportFormat, now = Date.now()) {
    const state = await this.state(congressId, unitCode);
    const stem = `${congressId}-${unitCode}`;
    switch (format) {
      case 'xlsx':
        return { body: await tasksToXlsx(state, now), file: `${stem}-nhiem-vu.xlsx` };
      case 'csv':
        return { body: await tasksToCsv(state, now), file: `${stem}-nhiem-vu.csv` };
      case 'docx':
        return {
          body: await unitReportDocx(state, {
            kind: 'check-in',
            at: now,
            ...(this.env.REPORT_PLACE ? { place: this.env.REPORT_PLACE } : {}),
          }),
          file: `${stem}-bao-cao.docx`,
        };
      case 'svg':
        return { body: Buffer.from(ganttSvg(state, now), 'utf8'), file: `${stem}-tien-do.svg` };
    }
  }

  /**
   * Imports the tasks of an .xlsx into a plan, all or nothing: the whole batch is first applied to a copy of
   * the plan's state with the engine's addTask, and only a batch without problems is sent, task by task, each
   * with an idempotency key from the file's hash, so that sending the same file again completes an import cut
   * short and adds nothing twice.
   */
  async importTasks(
    congressId: string,
    unitCode: string,
    file: Buffer,
    user: AuthenticatedUser,
    dryRun: boolean,
  ): Promise<{ dryRun: boolean; sheet: string; tasks: Array<{ id: string; row: number; result?: unknown }> }> {
    const state = await this.state(congressId, unitCode);
    const imported = await tasksFromXlsx(file, importContextOf(state));
    const hash = createHash('sha256').update(file).digest('hex').slice(0, 16);
    const requestId = (taskId: string) => `import:${hash}:${taskId}`;
    checkImportedTasks(state, imported, actorOf(user), Date.now(), requestId);
    const rows = imported.tasks.map((t) => ({ id: t.id, row: imported.rows.get(t.id) ?? 0 }));
    // The whole batch against the other plans too, before any task is sent: all or nothing.
    await this.plans.checkAddedTasks(
      congressId,
      unitCode,
      imported.tasks.map((task, i) => ({ task, path: `${imported.sheet}!${rows[i].row}` })),
    );
    if (dryRun) return { dryRun, sheet: imported.sheet, tasks: rows };
    const results: Array<{ id: string; row: number; result?: unknown }> = [];
    for (const [i, task] of imported.tasks.entries()) {
      const result = await this.plans.command(
        congressId,
        unitCode,
        'addTask',
        user,
        { task, reason: importReason(imported, task.id) },
        requestId(task.id),
      );
      results.push({ ...rows[i], result });
    }
    return { dryRun, sheet: imported.sheet, tasks: results };
  }

  // -------------------------------------------------------------------------------------------------------
  // Calendar feeds

  private secret(): string {
    if (!this.feedSecret) throw new ServiceUnavailableException('calendar feeds need FEED_TOKEN_SECRET to be set');
    return this.feedSecret;
  }

  async mintFeed(scope: FeedScope, user: AuthenticatedUser, baseUrl: string) {
    const secret = this.secret();
    const plans = await this.plansOf(scope);
    if (scope.kind === 'person' && !plans.some((p) => knowsPerson(p, scope.personId))) {
      throw new NotFoundException(`personId: no plan of congress ${scope.congressId} knows person ${scope.personId}`);
    }
    if (scope.kind === 'agency' && !plans.some((p) => p.definition.agencies.some((a) => a.code === scope.agencyCode))) {
      throw new NotFoundException(`agencyCode: no plan of congress ${scope.congressId} has agency ${scope.agencyCode}`);
    }
    const claims: FeedTokenClaims = { v: 1, id: newFeedId(), scope, by: user.sub, iat: Math.floor(Date.now() / 1000) };
    const token = signFeedToken(claims, secret);
    const base = (this.env.PUBLIC_URL ?? baseUrl).replace(/\/$/, '');
    return { id: claims.id, scope, url: `${base}/feeds/${token}/calendar.ics` };
  }

  revokeFeed(id: string, user: AuthenticatedUser, reason?: string) {
    this.revocations.revoke({ id, by: user.sub, at: new Date().toISOString(), ...(reason ? { reason } : {}) });
    return { ok: true, id, revoked: true };
  }

  /** The feed behind a link: 404 for a link tminus did not sign, 410 for one revoked. */
  async feed(token: string): Promise<string> {
    const claims = verifyFeedToken(token, this.secret());
    if (!claims) throw new NotFoundException('no such calendar feed');
    if (this.revocations.isRevoked(claims.id)) throw new GoneException('this calendar feed link was revoked');
    const plans = await this.plansOf(claims.scope);
    return calendarFeed(claims.scope, plans, { name: feedName(claims.scope, plans), now: Date.now() });
  }

  private async plansOf(scope: FeedScope): Promise<PlanState[]> {
    if (scope.kind === 'unit') return [await this.state(scope.congressId, scope.unitCode)];
    const page = await this.plans.list({ congress: scope.congressId, offset: 0, limit: 500 });
    const states = await Promise.all(
      page.items.map((item) => this.state(item.congressId, item.unitCode).catch(() => undefined)),
    );
    const found = states.filter((s): s is PlanState => s !== undefined);
    if (found.length === 0) throw new NotFoundException(`congress ${scope.congressId} has no plans`);
    return found;
  }

  // -------------------------------------------------------------------------------------------------------
  // Filed reports

  private reportsFolder(workflowId: string): string {
    return path.join(path.resolve(this.env.REPORTS_DIR), folderFor(workflowId));
  }

  async listReports(workflowId: string): Promise<Array<{ file: string; format: string }>> {
    const names = await readdir(this.reportsFolder(workflowId)).catch(() => [] as string[]);
    return names
      .filter((n) => REPORT_FILE.test(n))
      .sort()
      .map((file) => ({ file, format: path.extname(file).slice(1) }));
  }

  async report(workflowId: string, file: string): Promise<Buffer> {
    if (!REPORT_FILE.test(file)) throw new NotFoundException(`file: no report named ${file}`);
    try {
      return await readFile(path.join(this.reportsFolder(workflowId), file));
    } catch {
      throw new NotFoundException(`file: no report named ${file}`);
    }
  }
}

function knowsPerson(state: PlanState, personId: string): boolean {
  const c = state.congress.people;
  return [
    c.head,
    ...c.deputyHeads,
    ...c.standingSection,
    ...c.standingCommittee,
    ...(state.definition.people ?? []),
  ].some((p) => p.id === personId);
}

function feedName(scope: FeedScope, plans: PlanState[]): string {
  const congress = plans[0]?.congress.name ?? scope.congressId;
  switch (scope.kind) {
    case 'unit':
      return `${plans[0]?.definition.unitName ?? scope.unitCode} — ${congress}`;
    case 'person': {
      const c = plans[0]?.congress.people;
      const all = plans.flatMap((p) => [...(p.definition.people ?? [])]);
      const person = [c?.head, ...(c?.deputyHeads ?? []), ...(c?.standingSection ?? []), ...all].find(
        (p) => p?.id === scope.personId,
      );
      return `Nhiệm vụ của ${person?.name ?? scope.personId} — ${congress}`;
    }
    case 'agency': {
      const agency = plans.flatMap((p) => p.definition.agencies).find((a) => a.code === scope.agencyCode);
      return `Nhiệm vụ của ${agency?.name ?? scope.agencyCode} — ${congress}`;
    }
  }
}
