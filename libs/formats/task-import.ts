/**
 * Adding imported tasks to a running plan, all or nothing: before anything is sent, the whole batch is applied
 * with the engine's own `addTask` command to a copy of the plan's state, so every problem the plan would
 * find (unknown agency, duplicate id, dependency cycle, deadline before a prerequisite's…) is reported at
 * once, by sheet, row and column, and nothing is added.
 */
import { applyCommand, DomainError, type Actor, type PlanState } from '../domain';
import { issueAtRow, sheetError, type ImportedTasks, type SheetIssue } from './task-sheet';

/**
 * `requestId` names the idempotency key the real import uses for each task: a task an earlier try with the
 * same file already added is recognised by it (the plan answers it with the first result) instead of being
 * refused as a duplicate.
 */
export function checkImportedTasks(
  state: PlanState,
  imported: ImportedTasks,
  actor: Actor,
  now: number,
  requestId?: (taskId: string) => string,
): void {
  const copy = structuredClone(state);
  const issues: SheetIssue[] = [];
  const processed = new Set(state.processedRequests.map((r) => r.id));
  for (const task of imported.tasks) {
    // Added by an earlier try with the same file: the plan answers that request with its first result.
    if (requestId && processed.has(requestId(task.id))) continue;
    try {
      applyCommand(
        copy,
        {
          type: 'addTask',
          actor,
          task,
          reason: importReason(imported, task.id),
        },
        now,
      );
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      const domainIssues = err.issues.length > 0 ? err.issues : [{ path: 'task', message: err.message }];
      for (const issue of domainIssues) issues.push(issueAtRow(imported, task.id, issue));
    }
  }
  if (issues.length > 0) throw sheetError(issues);
}

/** Why a task was added, as recorded in the plan's audit log: the file's sheet and row. */
export function importReason(imported: ImportedTasks, taskId: string): string {
  return `Nhập từ tệp Excel (trang "${imported.sheet}", dòng ${imported.rows.get(taskId) ?? '?'})`;
}
