/**
 * Reports and the archive, written as JSON (and a Markdown digest and a Word document in the Party's format
 * for people) to a configured folder. Idempotent: a file is named by the workflow and the effect's key, so a
 * retry rewrites the same file.
 */
import { Context, log } from '@temporalio/activity';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parsePlanWorkflowId, planQueries, planWorkflowId } from '../libs/contracts';
import type { AuditEntry, PlanState, PlanSummary, ProgressReport } from '../libs/domain';
import { congressSummaryDocx, unitReportDocx } from '../libs/formats/party-document';

export interface ReportConfig {
  reportsDir: string;
  /** The place in the date line of filed documents (địa danh), e.g. `Thái Bình`. */
  reportPlace?: string;
  /** Reads a plan's state (names, tasks) for the Word documents; default: a query through the worker's client. */
  readPlanState?: (workflowId: string) => Promise<PlanState>;
}

export interface WriteReportInput {
  workflowId: string;
  key: string;
  title: string;
  report: ProgressReport | Record<string, unknown>;
  markdown: string;
  /**
   * The plan's state, from plans that write their reports within the workflow task (a local activity, whose
   * input is not recorded in history): the Word document is made from it, since the plan cannot answer a query
   * while its workflow task waits on this. Without it the plan is queried.
   */
  planState?: PlanState;
}

export interface AuditSegmentInput {
  workflowId: string;
  key: string;
  entries: AuditEntry[];
}

export interface ArchiveInput {
  workflowId: string;
  state: PlanState;
}

/** `plan/dh-tinh-xx/BPTT` → `plan__dh-tinh-xx__BPTT`: one folder per workflow, safe on every file system. */
export function folderFor(workflowId: string): string {
  return workflowId.replace(/[^A-Za-z0-9_.-]+/g, '__');
}

async function writeAtomically(file: string, content: string | Buffer): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.tmp`;
  await writeFile(temporary, content, { encoding: 'utf8', mode: 0o600 });
  await rename(temporary, file);
}

/** How long a Word document waits for a plan's state; past that the report is filed without it. */
const PLAN_STATE_READ_LIMIT_MS = 10_000;

/**
 * The plan's state through the worker's own client: the plan answers queries while it waits on this activity.
 * Bounded, because a query on an uncached plan replays its whole history and must never hold a report back.
 */
function queryPlanState(workflowId: string): Promise<PlanState> {
  const query = Context.current().client.workflow.getHandle(workflowId).query(planQueries.state);
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`the plan's state did not come within ${PLAN_STATE_READ_LIMIT_MS} ms`)),
      PLAN_STATE_READ_LIMIT_MS,
    );
  });
  return Promise.race([query, limit]).finally(() => clearTimeout(timer));
}

/** When the report was asked for: the activity's scheduled time (the workflow's clock), else now. */
function scheduledAt(): number {
  try {
    return Context.current().info.scheduledTimestampMs;
  } catch {
    return Date.now();
  }
}

const CONGRESS_WORKFLOW = /^congress\/([^/]+)$/;

/**
 * The report as a Word document in the Party's format, or undefined when the plans it is about cannot be
 * read (the JSON and Markdown are written all the same; the reason is logged).
 */
async function officeDocument(input: WriteReportInput, config: ReportConfig): Promise<Buffer | undefined> {
  const read = config.readPlanState ?? queryPlanState;
  const place = config.reportPlace ? { place: config.reportPlace } : {};
  try {
    if (parsePlanWorkflowId(input.workflowId)) {
      const report = input.report as ProgressReport;
      const at = typeof report.at === 'string' ? Date.parse(report.at) : scheduledAt();
      const kind = input.key.startsWith('closing') ? 'closing' : 'check-in';
      return await unitReportDocx(input.planState ?? (await read(input.workflowId)), { kind, at, ...place });
    }
    const congressId = CONGRESS_WORKFLOW.exec(input.workflowId)?.[1];
    const summary = input.report as { units?: PlanSummary[]; history?: unknown[] };
    if (congressId && Array.isArray(summary.units) && summary.units.length > 0) {
      const units = await Promise.all(
        summary.units.map(async (progress) => {
          const state = await read(planWorkflowId(congressId, progress.unitCode)).catch(() => undefined);
          return { unitName: state?.definition.unitName ?? progress.unitCode, progress, ...(state ? { state } : {}) };
        }),
      );
      const congress = units.find((u) => u.state)?.state?.congress;
      if (!congress) throw new Error('no plan of the congress could be read');
      return await congressSummaryDocx(congress, units, {
        at: scheduledAt(),
        decisions: summary.history?.length ?? 0,
        ...place,
      });
    }
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    try {
      log.warn('report written without its Word document', { workflowId: input.workflowId, key: input.key, reason });
    } catch {
      // outside an activity (unit tests): nothing to log to
    }
  }
  return undefined;
}

export function createReportActivities(config: ReportConfig) {
  const base = path.resolve(config.reportsDir);
  return {
    async writeReport(input: WriteReportInput): Promise<{ files: string[] }> {
      const stem = path.join(base, folderFor(input.workflowId), input.key.replace(/[^A-Za-z0-9_.-]+/g, '_'));
      await writeAtomically(`${stem}.json`, JSON.stringify({ title: input.title, ...input.report }, null, 2));
      await writeAtomically(`${stem}.md`, input.markdown);
      const docx = await officeDocument(input, config);
      if (!docx) return { files: [`${stem}.json`, `${stem}.md`] };
      await writeAtomically(`${stem}.docx`, docx);
      return { files: [`${stem}.json`, `${stem}.md`, `${stem}.docx`] };
    },
    /** The plan's older audit entries, one file per segment, under audit/ beside the plan's archive. */
    async archiveAuditSegment(input: AuditSegmentInput): Promise<{ file: string }> {
      const file = path.join(base, folderFor(input.workflowId), 'audit', `${input.key}.json`);
      await writeAtomically(file, JSON.stringify({ workflowId: input.workflowId, entries: input.entries }, null, 2));
      return { file };
    },
    async archivePlan(input: ArchiveInput): Promise<{ file: string }> {
      const file = path.join(base, folderFor(input.workflowId), 'archive.json');
      await writeAtomically(file, JSON.stringify({ archivedFrom: input.workflowId, state: input.state }, null, 2));
      return { file };
    },
  };
}
