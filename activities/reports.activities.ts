/**
 * Reports and the archive, written as JSON (and a Markdown digest for people) to a configured folder.
 * Idempotent: a file is named by the workflow and the effect's key, so a retry rewrites the same file.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { AuditEntry, PlanState, ProgressReport } from '../libs/domain';

export interface ReportConfig {
  reportsDir: string;
}

export interface WriteReportInput {
  workflowId: string;
  key: string;
  title: string;
  report: ProgressReport | Record<string, unknown>;
  markdown: string;
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

async function writeAtomically(file: string, content: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.tmp`;
  await writeFile(temporary, content, { encoding: 'utf8', mode: 0o600 });
  await rename(temporary, file);
}

export function createReportActivities(config: ReportConfig) {
  const base = path.resolve(config.reportsDir);
  return {
    async writeReport(input: WriteReportInput): Promise<{ files: string[] }> {
      const stem = path.join(base, folderFor(input.workflowId), input.key.replace(/[^A-Za-z0-9_.-]+/g, '_'));
      await writeAtomically(`${stem}.json`, JSON.stringify({ title: input.title, ...input.report }, null, 2));
      await writeAtomically(`${stem}.md`, input.markdown);
      return { files: [`${stem}.json`, `${stem}.md`] };
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
