/**
 * What the authoring commands read: a congress template (YAML/JSON with `congress` + `plans`), a congress with
 * concrete dates (the API's shape), a single unit plan, or the office's .xlsx task sheet. Each is read and
 * checked with the domain's own validation; issues carry the file and the precise place (line:col in YAML,
 * a model path, or sheet/row/column).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { LineCounter, isMap, parseDocument, type Document } from 'yaml';
import {
  DomainError,
  addCalendarDays,
  congressIssues,
  createPlanState,
  isLocalDate,
  provincialCongress,
  validateCongress,
  validatePlan,
  type CongressDefinition,
  type UnitPlanDefinition,
  type ValidationIssue,
} from '../../libs/domain';
import { importContextOf, issueAtRow, tasksFromXlsx, type SheetIssue } from '../../libs/formats/task-sheet';
import { instantiateTemplate, readTemplate, templatesDir, type CongressTemplate } from '../../libs/templates';

/** A usage problem (missing file, unknown format): exit 2. */
export class UsageError extends Error {}

export type SourceKind = 'template' | 'congress' | 'plan' | 'xlsx';

export interface Source {
  file: string;
  kind: SourceKind;
  /** The congress the plans are checked and run against (a sample one for a bare plan or a template). */
  congress?: CongressDefinition;
  plans: UnitPlanDefinition[];
  /** Everything wrong with the file, each at its place; empty when it is valid. */
  issues: Located[];
  /** What the congress is, when it is not the file's own (said in the output). */
  congressNote?: string;
}

/** An issue with where it is: `FILE:line:col` or `FILE:path`. */
export interface Located {
  where: string;
  message: string;
}

export interface ReadOptions {
  /** Congress day (first day), `YYYY-MM-DD`: for a template, a bare plan or a sheet. */
  congressDay?: string;
  /** For a sheet: the plan (or template) it belongs to, and the unit within a template. */
  planFile?: string;
  unit?: string;
}

const SAMPLE_CONGRESS_ID = 'mau-kiem-tra';

function readText(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
    throw new UsageError(`${file}: cannot read the file (${reason})`);
  }
}

function checkDay(day: string | undefined, option: string): void {
  if (day !== undefined && !isLocalDate(day)) throw new UsageError(`${option} must be a date YYYY-MM-DD, not "${day}"`);
}

/** Line and column of a model path (`plans[0].tasks[3].due`) in a YAML document, when the node is there. */
function yamlPosition(doc: Document, lines: LineCounter, modelPath: string): string | undefined {
  const keys = modelPath
    .split(/\.|\[(\d+)\]/)
    .filter((k) => k !== undefined && k !== '')
    .map((k) => (/^\d+$/.test(k) ? Number(k) : k));
  for (let n = keys.length; n > 0; n--) {
    const node = doc.getIn(keys.slice(0, n), true) as { range?: [number, number, number] } | undefined;
    if (node?.range) {
      const { line, col } = lines.linePos(node.range[0]);
      return `${line}:${col}`;
    }
  }
  return undefined;
}

function located(
  file: string,
  issues: ValidationIssue[],
  yaml?: { doc: Document; lines: LineCounter },
  strip?: string,
): Located[] {
  return issues.map((issue) => {
    // readTemplate reports YAML syntax errors as `source:line:col` already.
    if (issue.path.startsWith(`${file}:`)) return { where: issue.path, message: issue.message };
    const modelPath = strip && issue.path.startsWith(strip) ? issue.path.slice(strip.length) : issue.path;
    const at = yaml ? yamlPosition(yaml.doc, yaml.lines, modelPath) : undefined;
    return { where: at ? `${file}:${at}: ${modelPath}` : `${file}:${modelPath}`, message: issue.message };
  });
}

/** The sample congress a bare plan is checked against: the provincial one, on congress day if given. */
export function sampleCongress(congressDay?: string): CongressDefinition {
  return provincialCongress(SAMPLE_CONGRESS_ID, congressDay ?? provincialCongress().startDate);
}

function templateCongress(template: CongressTemplate, congressDay: string) {
  return instantiateTemplate(template, { id: SAMPLE_CONGRESS_ID, startDate: congressDay });
}

/** Reads a YAML or JSON file (JSON is YAML): a template, a congress or a plan. */
function readStructured(file: string, text: string, options: ReadOptions): Source {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, merge: true, prettyErrors: true });
  if (doc.errors.length > 0) {
    return {
      file,
      kind: 'plan',
      plans: [],
      issues: doc.errors.map((e) => ({
        where: e.linePos ? `${file}:${e.linePos[0].line}:${e.linePos[0].col}` : file,
        message: e.message.split('\n')[0],
      })),
    };
  }
  if (!isMap(doc.contents)) throw new UsageError(`${file}: unknown format (expected a template, a congress or a plan)`);
  const raw = doc.toJS({ maxAliasCount: 1000 }) as Record<string, unknown>;
  const yaml = { doc, lines };
  if ('congress' in raw && 'plans' in raw) {
    const given = raw.congress as Partial<CongressDefinition> | undefined;
    // A congress with its dates is the API's shape; otherwise it is a template (a name pattern and a length).
    if (given && typeof given === 'object' && 'startDate' in given) {
      const definition = { ...(given as CongressDefinition) };
      if (options.congressDay) {
        const days = definition.endDate && isLocalDate(definition.endDate) && isLocalDate(definition.startDate);
        const length = days
          ? Math.round((Date.parse(definition.endDate) - Date.parse(definition.startDate)) / 864e5)
          : 0;
        definition.startDate = options.congressDay;
        definition.endDate = addCalendarDays(options.congressDay, length);
      }
      const plans = raw.plans as UnitPlanDefinition[];
      const issues = Array.isArray(plans)
        ? congressIssues(definition, plans)
        : [{ path: 'plans', message: 'must be a list of unit plans' }];
      return {
        file,
        kind: 'congress',
        congress: definition,
        plans: Array.isArray(plans) ? plans : [],
        issues: located(file, issues, yaml),
      };
    }
    const reading = readTemplate(text, file);
    if (!reading.template) return { file, kind: 'template', plans: [], issues: located(file, reading.issues, yaml) };
    const day = options.congressDay ?? '2030-06-10';
    const { congress, plans } = templateCongress(reading.template, day);
    // readTemplate checks on a sample date; a congress day asked for is checked too.
    const issues = options.congressDay ? congressIssues(congress, plans) : [];
    return {
      file,
      kind: 'template',
      congress,
      plans,
      issues: located(file, issues, yaml),
      congressNote: options.congressDay ? undefined : `mẫu "${reading.template.id}", ngày Đại hội mẫu ${day}`,
    };
  }
  if ('unitCode' in raw) {
    const congress = sampleCongress(options.congressDay);
    const plan = raw as unknown as UnitPlanDefinition;
    const issues = [...validateCongress(congress), ...validatePlan(plan, congress, 'plan')];
    return {
      file,
      kind: 'plan',
      congress,
      plans: [plan],
      issues: located(file, issues, yaml, 'plan.'),
      congressNote: `Đại hội mẫu cấp tỉnh (${congress.name}), ngày Đại hội ${congress.startDate}`,
    };
  }
  throw new UsageError(`${file}: unknown format (expected "congress" and "plans", or a plan with "unitCode")`);
}

/** The plan a sheet belongs to: `--plan` (a plan or template, `--unit` picks one), else the shipped province template. */
function sheetPlan(options: ReadOptions): { congress: CongressDefinition; plan: UnitPlanDefinition; note: string } {
  const planFile = options.planFile ?? path.join(templatesDir(), 'province.yaml');
  const source = readSource(planFile, { congressDay: options.congressDay });
  if (source.issues.length > 0 || !source.congress) {
    throw new UsageError(`${planFile}: the plan the sheet belongs to is not valid (run tminus plan validate on it)`);
  }
  const plan = options.unit ? source.plans.find((p) => p.unitCode === options.unit) : source.plans[0];
  if (!plan) throw new UsageError(`${planFile}: no plan of unit "${options.unit}"`);
  return { congress: source.congress, plan, note: `${plan.unitName} (${plan.unitCode}) trong ${planFile}` };
}

/**
 * Reads the office's sheet as the task list of a plan: the import's own reading (sheet, row, column), then the
 * plan's validation with the sheet's tasks in place of its own, each issue put back at its row and column.
 */
export async function readSheet(file: string, options: ReadOptions): Promise<Source> {
  const bytes = readText(file);
  const { congress, plan, note } = sheetPlan(options);
  const state = createPlanState(congress, plan, Date.parse(`${congress.startDate}T00:00:00Z`) - 400 * 864e5);
  const sheetLocated = (issues: SheetIssue[]) =>
    issues.map((i) => ({
      where: `${file}:${i.sheet}!${i.column ?? ''}${i.row}`,
      message: i.message,
    }));
  try {
    const imported = await tasksFromXlsx(bytes, importContextOf(state));
    const withSheet = { ...plan, tasks: imported.tasks };
    const issues = validatePlan(withSheet, congress, 'plan').map((issue) => {
      const index = /^plan\.tasks\[(\d+)\]/.exec(issue.path)?.[1];
      const task = index !== undefined ? imported.tasks[Number(index)] : undefined;
      return task ? issueAtRow(imported, task.id, issue) : { ...issue, sheet: imported.sheet, row: 0 };
    });
    return {
      file,
      kind: 'xlsx',
      congress,
      plans: [withSheet],
      issues: sheetLocated(issues),
      congressNote: `kế hoạch ${note}`,
    };
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    const issues = err.issues.length > 0 ? err.issues : [{ path: 'file', message: err.message }];
    return {
      file,
      kind: 'xlsx',
      plans: [],
      issues: issues.map((i) =>
        'sheet' in i ? sheetLocated([i as SheetIssue])[0] : { where: `${file}:${i.path}`, message: i.message },
      ),
    };
  }
}

/** Reads any supported file but a sheet (synchronous: templates, congresses and plans). */
export function readSource(file: string, options: ReadOptions = {}): Source {
  checkDay(options.congressDay, '--congress-day');
  const ext = path.extname(file).toLowerCase();
  if (!['.yaml', '.yml', '.json'].includes(ext)) {
    throw new UsageError(`${file}: unknown format "${ext || '(none)'}" (expected .yaml, .yml, .json or .xlsx)`);
  }
  return readStructured(file, readText(file).toString('utf8'), options);
}

/** Reads any supported file. */
export async function readAnySource(file: string, options: ReadOptions = {}): Promise<Source> {
  checkDay(options.congressDay, '--congress-day');
  if (path.extname(file).toLowerCase() === '.xlsx') return readSheet(file, options);
  return readSource(file, options);
}
