/** What a person reads about a congress: the Temporal UI's current details and the summary conference report. */
import { dayMonthYear, planStatusWord, vi } from '../messages.vi';
import type { PlanSummary } from '../views';
import type { CongressState } from './model';

/** The congress's current details (Markdown) in the Temporal UI. */
export function congressDetails(state: CongressState): string {
  const { congress } = state;
  const lines = [`**${congress.name}** — ${dayMonthYear(congress.startDate)} → ${dayMonthYear(congress.endDate)}`];
  for (const unit of state.units) {
    const p = state.progress[unit];
    const name = unitName(state, unit);
    if (!p) {
      lines.push(`${name}: đang khởi động`);
      continue;
    }
    const pending = p.pendingApprovalGroups.length > 0 ? `, ${p.pendingApprovalGroups.length} việc chờ cho ý kiến` : '';
    lines.push(`${name}: ${planStatusWord(p.status)}, ${p.done}/${p.total} xong, ${p.overdueCount} quá hạn${pending}`);
  }
  if (state.units.some((unit) => state.progress[unit])) lines.push(vi.congressDetailsNote);
  return lines.join('\n\n');
}

/** A unit's name as the congress knows it (its code for congresses started before names were kept). */
function unitName(state: CongressState, unitCode: string): string {
  return state.unitNames?.[unitCode] ?? unitCode;
}

/** The summary conference (hội nghị tổng kết): one report across every unit. */
export function summaryReport(state: CongressState): { units: PlanSummary[]; title: string; markdown: string } {
  const units = state.units.map((u) => state.progress[u]).filter((p) => p !== undefined);
  const markdown = [
    `# Báo cáo tổng kết công tác phục vụ ${state.congress.name}`,
    '',
    '| Bộ phận | Trạng thái | Hoàn thành | Quá hạn |',
    '|---|---|---|---|',
    ...units.map(
      (p) =>
        `| ${unitName(state, p.unitCode)} | ${planStatusWord(p.status)} | ${p.done}/${p.total} | ${p.overdueCount} |`,
    ),
    '',
    `Tổng số nhiệm vụ hoàn thành: ${units.reduce((n, p) => n + p.done, 0)}/${units.reduce((n, p) => n + p.total, 0)}.`,
    state.history.length > 0 ? `Số quyết định cấp Đại hội: ${state.history.length}.` : '',
  ].join('\n');
  return { units, title: `Báo cáo tổng kết ${state.congress.name}`, markdown: `${markdown}\n` };
}
