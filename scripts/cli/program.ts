/**
 * The authoring command line: `tminus plan validate|critical-path|simulate` and `tminus congress move-preview`.
 * The work is done by the domain's pure functions; this module reads files, parses options (commander) and
 * writes what a person reads, in Vietnamese and the congress's local time. `run` never exits the process, so
 * tests drive it in-process: 0 success, 1 issues found, 2 usage (missing file, unknown format or option).
 */
import { Command, CommanderError, Option } from 'commander';
import {
  DEFAULT_TIME_ZONE,
  addCalendarDays,
  createPlanState,
  daysBetween,
  instantAt,
  parseLocalMoment,
  peopleDirectory,
  previewCongressDayMove,
  type CongressDefinition,
} from '../../libs/domain';
// Not exported by libs/domain's index, which the workflow bundle imports: only the command line simulates.
import { defaultSimulationStart, planningState, simulateCongress } from '../../libs/domain/simulation';
import { dependencyChains } from '../../libs/formats/gantt';
import { localTimeText, simulationLines, spanText } from '../../libs/formats/simulation-text';
import { UsageError, readAnySource, readSource, type Source } from './sources';

export interface Io {
  out(line: string): void;
  err(line: string): void;
  /** The real now, for `--today`'s default (a test passes a fixed one). */
  now(): number;
}

export const EXIT = { ok: 0, issues: 1, usage: 2 } as const;

const timeZoneOf = (congress: CongressDefinition) => congress.timeZone ?? DEFAULT_TIME_ZONE;

function day(text: string, option: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || addCalendarDays(text, 0) !== text) {
    throw new UsageError(`${option} must be a date YYYY-MM-DD, not "${text}"`);
  }
  return text;
}

function printIssues(io: Io, source: Source): number {
  for (const issue of source.issues) io.out(`${issue.where}: ${issue.message}`);
  return EXIT.issues;
}

/** A source's congress with its first day moved to `congressDay`, same length. */
function onCongressDay(congress: CongressDefinition, congressDay: string | undefined): CongressDefinition {
  if (!congressDay) return congress;
  const length = daysBetween(congress.startDate, congress.endDate);
  return { ...congress, startDate: congressDay, endDate: addCalendarDays(congressDay, length) };
}

/** Reads a file for a command that runs its plans: issues stop it (exit 1), printed like `validate`'s. */
async function runnable(io: Io, file: string, options: { congressDay?: string; plan?: string; unit?: string }) {
  const source = await readAnySource(file, {
    congressDay: options.congressDay,
    planFile: options.plan,
    unit: options.unit,
  });
  if (source.issues.length > 0 || !source.congress) {
    printIssues(io, source);
    return undefined;
  }
  return { source, congress: onCongressDay(source.congress, options.congressDay) };
}

function header(io: Io, source: Source, congress: CongressDefinition): void {
  io.out(
    `${congress.name} — ngày Đại hội ${localTimeText(instantAt(congress.startDate, 0, timeZoneOf(congress)), congress).slice(0, 10)}`,
  );
  if (source.congressNote) io.out(`(Theo ${source.congressNote})`);
}

// ---------------------------------------------------------------------------------------------------------
// plan validate

async function validate(io: Io, file: string, options: { congressDay?: string; plan?: string; unit?: string }) {
  const source = await readAnySource(file, {
    congressDay: options.congressDay,
    planFile: options.plan,
    unit: options.unit,
  });
  if (source.issues.length > 0) return printIssues(io, source);
  const tasks = source.plans.reduce((n, p) => n + p.tasks.length, 0);
  const scenarios = source.plans.reduce((n, p) => n + p.scenarios.length, 0);
  const kind = { template: 'mẫu Đại hội', congress: 'Đại hội', plan: 'kế hoạch', xlsx: 'bảng nhiệm vụ' }[source.kind];
  io.out(
    `OK: ${file} (${kind}) — ${source.plans.length} kế hoạch, ${tasks} nhiệm vụ, ${scenarios} kịch bản dự phòng` +
      (source.congressNote ? `; kiểm tra với ${source.congressNote}` : ''),
  );
  return EXIT.ok;
}

// ---------------------------------------------------------------------------------------------------------
// plan critical-path

async function criticalPathCommand(io: Io, file: string, options: { congressDay?: string }) {
  const read = await runnable(io, file, options);
  if (!read) return EXIT.issues;
  const { source, congress } = read;
  header(io, source, congress);
  let missed = 0;
  for (const plan of source.plans) {
    const state = planningState(congress, plan);
    const chains = dependencyChains(state);
    const name = (id: string) => `${id} ${state.tasks[id]?.title ?? ''}`.trim();
    io.out('');
    io.out(`Kế hoạch ${plan.unitName} (${plan.unitCode})`);
    if (chains.length === 0) {
      io.out('  Không có chuỗi nhiệm vụ phụ thuộc nhau.');
      continue;
    }
    io.out(`  Đường găng: ${chains[0].links.map((l) => name(l.taskId)).join(' → ')}`);
    io.out('  Các chuỗi nhiệm vụ phụ thuộc (hạn; thời gian dư so với hạn của nhiệm vụ trước):');
    chains.forEach((chain, i) => {
      io.out(`  Chuỗi ${i + 1}${chain.missesDeadline ? ' [KHÔNG KỊP HẠN]' : ''}:`);
      for (const link of chain.links) {
        const deadline =
          link.deadline === undefined
            ? 'chưa xác định hạn'
            : `${link.projected ? 'hạn dự kiến' : 'hạn'} ${localTimeText(link.deadline, congress)}`;
        const slack =
          link.slackMs === undefined
            ? ''
            : link.slackMs < 0
              ? `; thiếu ${spanText(link.slackMs)}`
              : `; dư ${spanText(link.slackMs)}`;
        io.out(`     - ${name(link.taskId)} (${deadline}${slack})`);
      }
      if (chain.minSlackMs !== undefined && !chain.missesDeadline) {
        io.out(`     Thời gian dư ít nhất: ${spanText(chain.minSlackMs)}`);
      }
    });
    const missing = chains.filter((c) => c.missesDeadline);
    missed += missing.length;
    if (missing.length > 0) {
      io.out('  Chuỗi không thể đáp ứng hạn:');
      for (const chain of missing) {
        chain.links.forEach((link, i) => {
          if (link.slackMs === undefined || link.slackMs >= 0) return;
          const before = chain.links[i - 1];
          io.out(
            `   ! ${name(link.taskId)} có hạn ${localTimeText(link.deadline!, congress)}, sớm hơn ${spanText(link.slackMs)} so với ` +
              `hạn ${before.projected ? 'dự kiến ' : ''}${localTimeText(before.deadline!, congress)} của ${name(before.taskId)}`,
          );
        });
      }
    }
  }
  return missed > 0 ? EXIT.issues : EXIT.ok;
}

// ---------------------------------------------------------------------------------------------------------
// plan simulate

/** `CODE@YYYY-MM-DD` (08:00 local) or `CODE@YYYY-MM-DDTHH:mm`. */
function parseScenario(text: string, congress: CongressDefinition): { code: string; at: number } {
  const [code, moment] = text.split('@');
  const at = moment === undefined ? undefined : parseLocalMoment(moment, timeZoneOf(congress));
  if (!code || at === undefined || text.split('@').length !== 2) {
    throw new UsageError(
      `--scenario must be CODE@YYYY-MM-DD or CODE@YYYY-MM-DDTHH:mm (a real date and time), not "${text}"`,
    );
  }
  return { code, at };
}

async function simulate(
  io: Io,
  file: string,
  options: { congressDay: string; late?: string; scenario?: string[]; start?: string; unit?: string; plan?: string },
) {
  day(options.congressDay, '--congress-day');
  const late = options.late === undefined ? 0 : Number(options.late);
  if (!Number.isInteger(late) || late < 0)
    throw new UsageError(`--late must be a whole number of days, not "${options.late}"`);
  const read = await runnable(io, file, options);
  if (!read) return EXIT.issues;
  const { source, congress } = read;
  const plans =
    options.unit && source.kind !== 'xlsx' ? source.plans.filter((p) => p.unitCode === options.unit) : source.plans;
  if (plans.length === 0) throw new UsageError(`${file}: no plan of unit "${options.unit}"`);
  const scenarios = (options.scenario ?? []).map((s) => parseScenario(s, congress));
  for (const s of scenarios) {
    if (!plans.some((p) => p.scenarios.some((c) => c.code === s.code))) {
      throw new UsageError(`--scenario: no plan has a scenario "${s.code}"`);
    }
  }
  const start = options.start
    ? instantAt(day(options.start, '--start'), 8 * 60, timeZoneOf(congress))
    : defaultSimulationStart(congress, plans);
  const result = simulateCongress(congress, plans, { start, lateDays: late, scenarios });
  header(io, source, congress);
  io.out(
    `Mô phỏng từ ${localTimeText(start, congress)} (giờ ${timeZoneOf(congress)}); ` +
      (late > 0 ? `mọi nhiệm vụ hoàn thành trễ ${late} ngày so với hạn` : 'mọi nhiệm vụ hoàn thành đúng hạn') +
      '; mọi đề nghị được Ban Thường vụ đồng ý ngay.',
  );
  for (const line of simulationLines(result, congress)) io.out(`${line.local}  [${line.unitCode}] ${line.text}`);
  for (const state of result.states) {
    const people = peopleDirectory(state);
    const lead = people.get(state.definition.unitLead)?.name ?? state.definition.unitLead;
    io.out(
      `Kế hoạch ${state.definition.unitName} (${state.definition.unitCode}, trưởng bộ phận ${lead}): ` +
        (state.closedAt !== undefined
          ? `kết thúc lúc ${localTimeText(state.closedAt, congress)}`
          : `chưa kết thúc (${state.status})`),
    );
  }
  if (result.neverDone.length > 0) io.out(`Nhiệm vụ không hoàn thành được: ${result.neverDone.join(', ')}`);
  return EXIT.ok;
}

// ---------------------------------------------------------------------------------------------------------
// congress move-preview

async function movePreview(
  io: Io,
  file: string,
  options: { from?: string; congressDay?: string; to: string; today?: string },
) {
  const from = options.from ?? options.congressDay;
  if (options.from && options.congressDay && options.from !== options.congressDay) {
    throw new UsageError('--from and --congress-day name the same day: give one');
  }
  if (from) day(from, '--from');
  day(options.to, '--to');
  const source = readSource(file, { congressDay: from });
  if (source.issues.length > 0 || !source.congress) return printIssues(io, source);
  const congress = onCongressDay(source.congress, from);
  const tz = timeZoneOf(congress);
  // "Today": --today at 08:00 local, else the real now; the plans are started then, as if created today.
  const now = options.today ? instantAt(day(options.today, '--today'), 8 * 60, tz) : io.now();
  const states = source.plans.map((plan) => createPlanState(congress, plan, now));
  const length = daysBetween(congress.startDate, congress.endDate);
  const move = { startDate: options.to, endDate: addCalendarDays(options.to, length) };
  const preview = previewCongressDayMove(states, move, now);
  const date = (d: string) => `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}`;
  io.out(
    `Xem trước việc dời ngày Đại hội ${congress.name}: ${date(congress.startDate)}–${date(congress.endDate)} → ` +
      `${date(move.startDate)}–${date(move.endDate)}`,
  );
  io.out(`Các kế hoạch coi như bắt đầu lúc ${localTimeText(now, congress)} (giờ ${tz}).`);
  if (source.congressNote) io.out(`(${source.congressNote})`);
  const at = (iso: string | undefined) => (iso ? localTimeText(Date.parse(iso), congress) : 'chưa xác định');
  for (const plan of preview.plans) {
    io.out('');
    io.out(
      `Kế hoạch ${plan.unitName} (${plan.unitCode}): ${plan.deadlinesMoved} hạn thay đổi` +
        (plan.closesAt ? `; kết thúc chậm nhất ${at(plan.closesAt)}` : ''),
    );
    if (plan.closes) io.out('  ! Kế hoạch sẽ kết thúc ngay khi dời ngày (ghi báo cáo tổng kết và lưu trữ).');
    for (const task of plan.becomeOverdue) {
      io.out(`  Quá hạn ngay: ${task.id} ${task.title} (hạn ${at(task.deadline)} → ${at(task.newDeadline)})`);
    }
    for (const task of plan.becomeAtRisk) {
      io.out(`  Có nguy cơ trễ hạn: ${task.id} ${task.title} (hạn ${at(task.deadline)} → ${at(task.newDeadline)})`);
    }
    if (!plan.closes && plan.becomeOverdue.length === 0 && plan.becomeAtRisk.length === 0) {
      io.out('  Không có nhiệm vụ nào trở nên quá hạn hay có nguy cơ trễ hạn.');
    }
  }
  if (preview.closingPlans.length > 0) io.out(`Kế hoạch sẽ kết thúc: ${preview.closingPlans.join(', ')}`);
  if (preview.requiresConfirmation) {
    io.out(`Đại hội sẽ kết thúc trước thời điểm hiện tại: việc dời cần xác nhận (${preview.confirmationField}: true).`);
  }
  return EXIT.ok;
}

// ---------------------------------------------------------------------------------------------------------

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** The command tree; each action stores its exit code in `result.code`. */
export function buildProgram(io: Io, result: { code: number }): Command {
  const program = new Command('tminus')
    .description('Công cụ soạn thảo kế hoạch phục vụ Đại hội (tminus)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
    .showHelpAfterError();
  const settle = async (work: () => Promise<number>) => {
    result.code = await work();
  };
  const plan = program.command('plan').description('Kiểm tra, phân tích và mô phỏng kế hoạch');
  const sheetOptions = (cmd: Command) =>
    cmd
      .option(
        '--plan <file>',
        'for an .xlsx sheet: the plan or template it belongs to (default: the province template)',
      )
      .option('--unit <code>', 'the unit within a template');
  sheetOptions(
    plan
      .command('validate')
      .argument('<file>', 'a congress template, a congress, a unit plan (.yaml/.yml/.json) or a task sheet (.xlsx)')
      .option('--congress-day <date>', 'congress day YYYY-MM-DD to check against (default: a sample day)'),
  ).action((file: string, options) => settle(() => validate(io, file, options)));
  sheetOptions(
    plan
      .command('critical-path')
      .argument('<file>')
      .option('--congress-day <date>', 'congress day YYYY-MM-DD (default: a sample day)'),
  ).action((file: string, options) => settle(() => criticalPathCommand(io, file, options)));
  sheetOptions(
    plan
      .command('simulate')
      .argument('<file>')
      .requiredOption('--congress-day <date>', 'congress day YYYY-MM-DD')
      .option('--late <days>', 'every task is completed this many days after its deadline', '0')
      .option('--scenario <code@date>', 'request a contingency scenario at a date (repeatable)', collect)
      .option('--start <date>', 'when the plans start (default: a week before the first reminder)'),
  ).action((file: string, options) => settle(() => simulate(io, file, options)));
  program
    .command('congress')
    .description('Đại hội')
    .command('move-preview')
    .argument('<file>')
    .addOption(new Option('--from <date>', 'the congress day now (default: the file’s own, or a sample day)'))
    .option('--congress-day <date>', 'same as --from')
    .requiredOption('--to <date>', 'the new congress day')
    .option('--today <date>', 'the day the plans are taken as started (default: today)')
    .action((file: string, options) => settle(() => movePreview(io, file, options)));
  return program;
}

/** Runs the command line `argv` (without node and the script); returns the exit code. */
export async function run(argv: string[], io: Io): Promise<number> {
  const result: { code: number } = { code: EXIT.ok };
  const program = buildProgram(io, result);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return result.code;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version end with 0; every parsing error is a usage error.
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (err instanceof UsageError) {
      io.err(`tminus: ${err.message}`);
      return EXIT.usage;
    }
    throw err;
  }
}
