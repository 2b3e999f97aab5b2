/**
 * A picture of a plan's timeline: an SVG Gantt chart with the task groups, each task as a bar from when it
 * can start (its prerequisites' deadlines, else the plan's start) to its deadline, the congress days, today's
 * line, overdue tasks marked and the critical path outlined. Plain SVG written here: it is a few rectangles
 * and texts, and a string keeps it pure and testable (no DOM, no charting library with a browser behind it).
 */
import {
  DAY_MS,
  addCalendarDays,
  buildScheduleContext,
  instantAt,
  orderedTasks,
  parseDue,
  resolveDue,
  taskDependencies,
  type PlanState,
} from '../domain';
import { effectiveDeadline, formatLocalDate, localDateTime, nameBook, reportingCategory } from './task-rows';
import { REPORTING_CATEGORY_WORDS, type ReportingCategory } from './words.vi';

export const SVG_CONTENT_TYPE = 'image/svg+xml; charset=utf-8';

/** Colours, named so that tests can look for them in the rendered picture. */
export const GANTT_COLOURS = {
  today: '#e8590c',
  congress: '#ffe066',
  critical: '#7048e8',
  overdueMark: '#c92a2a',
  category: {
    'done-on-time': '#2f9e44',
    'done-late': '#94d82d',
    'in-progress-on-time': '#1c7ed6',
    'in-progress-late': '#e03131',
    'not-due': '#adb5bd',
    suspended: '#868e96',
    dropped: '#dee2e6',
  } satisfies Record<ReportingCategory, string>,
} as const;

const LABEL_WIDTH = 380;
const CHART_WIDTH = 900;
const ROW = 24;
const TOP = 70;

const escapeXml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** One task of a chain of dependent tasks, with the time it has between its prerequisite's deadline and its own. */
export interface ChainLink {
  taskId: string;
  /** Its deadline, or the one projected from its prerequisites' (see `projectedDeadlines`). */
  deadline?: number;
  projected: boolean;
  /** Its deadline minus the previous link's (absent for the first link, or a deadline not known): negative cannot be met. */
  slackMs?: number;
}

export interface DependencyChain {
  /** First to last: each task depends on the one before it. */
  links: ChainLink[];
  /** The smallest slack of the chain's links (absent when none is known). */
  minSlackMs?: number;
  /** Some task is due before its prerequisite, even when everything before it is done on its deadline. */
  missesDeadline: boolean;
}

/**
 * The chains of the plan's dependent tasks: for each task nothing else in the plan waits on, the longest chain of
 * prerequisites leading to it (ties broken by the later final deadline), with each link's slack against the
 * projected deadlines. Chains of a single task are left out.
 */
export function dependencyChains(state: PlanState): DependencyChain[] {
  const tasks = orderedTasks(state);
  const ids = new Set(tasks.map((t) => t.id));
  const prerequisites = new Map(tasks.map((t) => [t.id, taskDependencies(t).filter((d) => ids.has(d))]));
  const waitedOn = new Set([...prerequisites.values()].flat());
  const best = new Map<string, { length: number; end: number; chain: string[] }>();
  const visiting = new Set<string>();
  const longest = (id: string): { length: number; end: number; chain: string[] } => {
    const known = best.get(id);
    if (known) return known;
    visiting.add(id);
    const end = effectiveDeadline(state.tasks[id]) ?? 0;
    let result = { length: 1, end, chain: [id] };
    for (const dep of prerequisites.get(id) ?? []) {
      if (visiting.has(dep)) continue; // a cycle cannot pass validation; never loop on one
      const before = longest(dep);
      if (before.length + 1 > result.length) result = { length: before.length + 1, end, chain: [...before.chain, id] };
    }
    visiting.delete(id);
    best.set(id, result);
    return result;
  };
  const deadlines = projectedDeadlines(state);
  // The longest chain overall always ends at a task nothing waits on (else it would go one further).
  const ends = tasks.filter((t) => !waitedOn.has(t.id)).map((t) => longest(t.id));
  ends.sort((a, b) => b.length - a.length || b.end - a.end);
  return ends
    .filter((c) => c.length > 1)
    .map(({ chain }) => {
      const links = chain.map((taskId, i): ChainLink => {
        const own = deadlines.get(taskId);
        const previous = i > 0 ? deadlines.get(chain[i - 1]) : undefined;
        return {
          taskId,
          deadline: own?.at,
          projected: own?.projected ?? false,
          ...(own && previous ? { slackMs: own.at - previous.at } : {}),
        };
      });
      const slacks = links.map((l) => l.slackMs).filter((s): s is number => s !== undefined);
      return {
        links,
        ...(slacks.length > 0 ? { minSlackMs: Math.min(...slacks) } : {}),
        missesDeadline: slacks.some((s) => s < 0),
      };
    });
}

/**
 * The critical path: the longest chain of the plan's tasks linked by dependencies (each must finish before
 * the next can start), ties broken by the later final deadline. Task ids in order, first to last.
 */
export function criticalPath(state: PlanState): string[] {
  return dependencyChains(state)[0]?.links.map((l) => l.taskId) ?? [];
}

/**
 * Deadlines that are not known yet (`after:TT-01+5d` while TT-01 is open) projected from the prerequisites'
 * deadlines, as if each were done on its deadline: what the timeline will look like if all goes to plan.
 */
export function projectedDeadlines(state: PlanState): Map<string, { at: number; projected: boolean }> {
  const result = new Map<string, { at: number; projected: boolean }>();
  const visiting = new Set<string>();
  const ctx = buildScheduleContext(state.congress, state.definition.calendar, (ref) => {
    const task = state.tasks[ref];
    if (!task) return state.externalCompletions[ref];
    return task.completedAt ?? deadlineOf(ref);
  });
  function deadlineOf(id: string): number | undefined {
    const known = result.get(id);
    if (known) return known.at;
    const task = state.tasks[id];
    if (!task || visiting.has(id)) return undefined;
    const actual = effectiveDeadline(task);
    if (actual !== undefined) {
      result.set(id, { at: actual, projected: false });
      return actual;
    }
    visiting.add(id);
    let at: number | undefined;
    try {
      at = resolveDue(parseDue(task.due), ctx, task.scenario);
    } catch {
      at = undefined; // a due the engine could not resolve either: the task stays off the chart
    }
    visiting.delete(id);
    if (at !== undefined) result.set(id, { at, projected: true });
    return at;
  }
  for (const id of state.taskOrder) deadlineOf(id);
  return result;
}

/** The critical path's purple outline, dashed for a projected deadline (grey when only projected). */
function barOutline(onPath: boolean, projected: boolean): string {
  const dash = projected ? ' stroke-dasharray="5 3" fill-opacity="0.45"' : '';
  if (onPath) return ` stroke="${GANTT_COLOURS.critical}" stroke-width="3"${dash}`;
  return projected ? ` stroke="#495057"${dash}` : '';
}

export function ganttSvg(state: PlanState, now: number): string {
  const tz = state.congress.timeZone;
  const names = nameBook(state);
  const deadlineOf = projectedDeadlines(state);
  const tasks = orderedTasks(state).filter((t) => deadlineOf.has(t.id));
  const congressStart = instantAt(state.congress.startDate, 0, tz);
  const congressEnd = instantAt(addCalendarDays(state.congress.endDate, 1), 0, tz);
  const deadlines = tasks.map((t) => deadlineOf.get(t.id)!.at);
  const from = Math.min(state.startedAt, now, ...deadlines) - 3 * DAY_MS;
  const to = Math.max(congressEnd, now, ...deadlines) + 3 * DAY_MS;
  const x = (t: number) => LABEL_WIDTH + ((t - from) / (to - from)) * CHART_WIDTH;
  const critical = new Set(criticalPath(state));

  const groups = state.definition.groups
    .map((g) => ({ group: g, tasks: tasks.filter((t) => t.group === g.id) }))
    .filter((g) => g.tasks.length > 0);
  const rowsCount = groups.reduce((n, g) => n + 1 + g.tasks.length, 0);
  const height = TOP + rowsCount * ROW + 60;
  const width = LABEL_WIDTH + CHART_WIDTH + 20;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
      `font-family="Times New Roman, DejaVu Serif, serif" font-size="13">`,
    `<title>${escapeXml(`Tiến độ ${state.definition.unitName} — ${state.congress.name}`)}</title>`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="10" y="24" font-size="17" font-weight="bold">${escapeXml(`Tiến độ thực hiện — ${state.definition.unitName}`)}</text>`,
    `<text x="10" y="44" fill="#495057">${escapeXml(state.congress.name)}</text>`,
  );
  // Month ticks.
  const firstTick = localDateTime(from, tz);
  for (let y = firstTick.year, m = firstTick.month; ; m === 12 ? ((m = 1), y++) : m++) {
    const tick = instantAt(`${y}-${String(m).padStart(2, '0')}-01`, 0, tz);
    if (tick > to) break;
    if (tick < from) continue;
    out.push(
      `<line x1="${x(tick).toFixed(1)}" y1="${TOP - 8}" x2="${x(tick).toFixed(1)}" y2="${height - 50}" stroke="#e9ecef"/>`,
      `<text x="${(x(tick) + 3).toFixed(1)}" y="${TOP - 12}" fill="#868e96" font-size="11">${String(m).padStart(2, '0')}/${y}</text>`,
    );
  }
  // The congress days.
  out.push(
    `<rect class="congress" x="${x(congressStart).toFixed(1)}" y="${TOP - 8}" width="${Math.max(3, x(congressEnd) - x(congressStart)).toFixed(1)}" ` +
      `height="${height - 50 - TOP + 8}" fill="${GANTT_COLOURS.congress}"/>`,
    `<text x="${(x(congressStart) + 2).toFixed(1)}" y="${height - 36}" font-size="11" font-weight="bold">Đại hội</text>`,
  );
  let row = 0;
  for (const { group, tasks: groupTasks } of groups) {
    const y = TOP + row * ROW;
    out.push(
      `<rect x="0" y="${y}" width="${width}" height="${ROW}" fill="#f1f3f5"/>`,
      `<text x="8" y="${y + 16}" font-weight="bold">${escapeXml(group.name)}</text>`,
    );
    row++;
    for (const task of groupTasks) {
      const top = TOP + row * ROW;
      const { at: deadline, projected } = deadlineOf.get(task.id)!;
      const starts = taskDependencies(task)
        .map((d) => deadlineOf.get(d)?.at)
        .filter((t): t is number => t !== undefined);
      const start = Math.min(deadline - DAY_MS, starts.length > 0 ? Math.max(...starts) : state.startedAt);
      const category = reportingCategory(task, now);
      const barX = x(start);
      const barWidth = Math.max(4, x(deadline) - barX);
      const onPath = critical.has(task.id);
      const label = `${task.id} ${task.title}`;
      out.push(
        `<g class="task ${category}${onPath ? ' critical' : ''}${projected ? ' projected' : ''}" data-task="${escapeXml(task.id)}">`,
        `<title>${escapeXml(
          `${label}\nChủ trì: ${names.agency(task.leadAgency)}\n` +
            `${projected ? 'Hạn dự kiến' : 'Hạn'}: ${formatLocalDate(localDateTime(deadline, tz))}\n` +
            `${REPORTING_CATEGORY_WORDS[category]} · ${task.status === 'done' ? 100 : task.progress}%`,
        )}</title>`,
        `<text x="18" y="${top + 16}">${escapeXml(label.length > 52 ? `${label.slice(0, 51)}…` : label)}</text>`,
        `<rect x="${barX.toFixed(1)}" y="${top + 5}" width="${barWidth.toFixed(1)}" height="${ROW - 10}" rx="3" ` +
          `fill="${GANTT_COLOURS.category[category]}"${barOutline(onPath, projected)}/>`,
      );
      if (category === 'in-progress-late') {
        out.push(
          `<text x="${(x(deadline) + 6).toFixed(1)}" y="${top + 17}" fill="${GANTT_COLOURS.overdueMark}" font-weight="bold">` +
            `! quá hạn</text>`,
        );
      }
      out.push('</g>');
      row++;
    }
  }
  // Today's line, on top of everything.
  out.push(
    `<line class="today" x1="${x(now).toFixed(1)}" y1="${TOP - 8}" x2="${x(now).toFixed(1)}" y2="${height - 50}" ` +
      `stroke="${GANTT_COLOURS.today}" stroke-width="3"/>`,
    `<text x="${(x(now) + 4).toFixed(1)}" y="${height - 20}" fill="${GANTT_COLOURS.today}" font-size="11">` +
      `Hôm nay ${formatLocalDate(localDateTime(now, tz))}</text>`,
    `<text x="10" y="${height - 6}" font-size="11" fill="#495057">` +
      `Viền tím: đường găng (chuỗi nhiệm vụ phụ thuộc dài nhất) · Đỏ: đang thực hiện quá hạn · Xanh lá: hoàn thành · Nét đứt: hạn dự kiến</text>`,
    '</svg>',
  );
  return out.join('\n');
}
