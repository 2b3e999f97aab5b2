/**
 * Congress templates as data: a YAML file per level (province, city, national) holding the subcommittee's
 * people and every unit's plan, with the congress's name written as a pattern (`lần thứ {number}, nhiệm kỳ
 * {term}`) so that no template carries one congress's name. Reading and filling a template are pure: the
 * caller supplies the text, this module parses, checks and instantiates it.
 */
import { isMap, parseDocument, type YAMLError } from 'yaml';
import {
  addCalendarDays,
  CONGRESS_LEVELS,
  congressIssues,
  type CongressDefinition,
  type CongressLevel,
  type Person,
  type SubcommitteePeople,
  type UnitPlanDefinition,
  type ValidationIssue,
} from '../domain';

export interface CongressTemplate {
  /** The file's name without `.yaml`, e.g. `province`: what `from-template` is asked for. */
  id: string;
  level: CongressLevel;
  /** What a coordinator picks from, in Vietnamese. */
  title: string;
  description: string;
  /** The source reports the template is modelled on. */
  sources: string[];
  congress: {
    /** The congress's name, with `{number}` (roman numeral) and `{term}` (e.g. `2025-2030`) filled in. */
    name: string;
    /** The number a congress made from this template gets unless the request names one, e.g. `XXI`. */
    number: string;
    /** How many days the congress sits (its last day is `days - 1` after the first). */
    days: number;
    timeZone?: string;
    people: SubcommitteePeople;
  };
  plans: UnitPlanDefinition[];
}

/** What a request may change when it makes a congress from a template. */
export interface TemplateOverrides {
  id: string;
  startDate: string;
  endDate?: string;
  /** The whole name, instead of the template's pattern. */
  name?: string;
  number?: string;
  /** e.g. `2025-2030`; by default the five years from the congress's year. */
  term?: string;
  /** People of the template, by id, with a new name, title or email. */
  people?: Array<Pick<Person, 'id'> & Partial<Omit<Person, 'id'>>>;
}

export type TemplateReading =
  | { template: CongressTemplate; issues: [] }
  | { template?: undefined; issues: ValidationIssue[] };

/** The term a congress held in `startDate`'s year opens: five years from that year. */
export function defaultTerm(startDate: string): string {
  const year = Number(startDate.slice(0, 4));
  return `${year}-${year + 5}`;
}

/** The congress's name from the template's pattern. */
export function congressName(pattern: string, values: { number: string; term: string }): string {
  return pattern.replaceAll('{number}', values.number).replaceAll('{term}', values.term);
}

function yamlIssue(source: string, error: YAMLError): ValidationIssue {
  const at = error.linePos?.[0];
  return { path: at ? `${source}:${at.line}:${at.col}` : source, message: error.message.split('\n')[0] };
}

/**
 * Parses a template's YAML and checks it: its shape, then the congress and every plan through the domain's own
 * validation, as if a congress were made from it on a sample date. `source` names the file in the issues.
 */
export function readTemplate(text: string, source: string): TemplateReading {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true, merge: true });
  if (doc.errors.length > 0) return { issues: doc.errors.map((e) => yamlIssue(source, e)) };
  if (!isMap(doc.contents)) return { issues: [{ path: source, message: 'a template is a YAML mapping' }] };
  const raw = doc.toJS({ maxAliasCount: 1000 }) as Record<string, unknown>;
  const issues = shapeIssues(raw);
  if (issues.length > 0) return { issues };
  const template = raw as unknown as CongressTemplate;
  const { congress, plans } = instantiateTemplate(template, { id: sampleId(template.id), startDate: '2030-06-10' });
  const domainIssues = congressIssues(congress, plans);
  return domainIssues.length > 0 ? { issues: domainIssues } : { template, issues: [] };
}

/** A congress id for validating a template: a valid key whatever the template's id. */
function sampleId(templateId: string): string {
  return `mau-${templateId}`
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-')
    .slice(0, 63);
}

function shapeIssues(raw: Record<string, unknown>): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const need = (ok: boolean, path: string, message: string) => ok || issues.push({ path, message });
  const isText = (v: unknown) => typeof v === 'string' && v.trim().length > 0;
  need(isText(raw.id), 'id', 'is required: the template key, e.g. province');
  need(CONGRESS_LEVELS.includes(raw.level as CongressLevel), 'level', `must be one of ${CONGRESS_LEVELS.join(', ')}`);
  need(isText(raw.title), 'title', 'is required');
  need(typeof raw.description === 'string', 'description', 'is required');
  need(Array.isArray(raw.sources) && raw.sources.every(isText), 'sources', 'must be a list of source names');
  const congress = raw.congress as Record<string, unknown> | undefined;
  if (!congress || typeof congress !== 'object') {
    issues.push({ path: 'congress', message: 'is required' });
  } else {
    need(isText(congress.name), 'congress.name', 'is required: a pattern with {number} and {term}');
    need(isText(congress.number), 'congress.number', 'is required: the default number, e.g. XXI');
    need(
      Number.isInteger(congress.days) && (congress.days as number) >= 1 && (congress.days as number) <= 10,
      'congress.days',
      'must be a whole number of days from 1 to 10',
    );
    need(!!congress.people && typeof congress.people === 'object', 'congress.people', 'is required');
  }
  need(Array.isArray(raw.plans) && raw.plans.length > 0, 'plans', 'must list at least one unit plan');
  return issues;
}

/** A congress and its plans from a template: fresh copies, with the request's overrides applied. */
export function instantiateTemplate(
  template: CongressTemplate,
  overrides: TemplateOverrides,
): { congress: CongressDefinition; plans: UnitPlanDefinition[]; issues: ValidationIssue[] } {
  const term = overrides.term ?? defaultTerm(overrides.startDate);
  const number = overrides.number ?? template.congress.number;
  const people = structuredClone(template.congress.people);
  const issues = applyPeople(people, overrides.people ?? []);
  const congress: CongressDefinition = {
    id: overrides.id,
    name: overrides.name ?? congressName(template.congress.name, { number, term }),
    level: template.level,
    startDate: overrides.startDate,
    endDate: overrides.endDate ?? addCalendarDays(overrides.startDate, template.congress.days - 1),
    ...(template.congress.timeZone ? { timeZone: template.congress.timeZone } : {}),
    people,
  };
  return { congress, plans: structuredClone(template.plans), issues };
}

function applyPeople(people: SubcommitteePeople, changes: NonNullable<TemplateOverrides['people']>): ValidationIssue[] {
  const everyone = [people.head, ...people.deputyHeads, ...people.standingSection, ...people.standingCommittee];
  const issues: ValidationIssue[] = [];
  changes.forEach((change, i) => {
    const matches = everyone.filter((p) => p.id === change.id);
    if (matches.length === 0) {
      issues.push({ path: `people[${i}].id`, message: `no person "${change.id}" in the template` });
      return;
    }
    // A person may sit in two roles (a deputy head who is also a standing member): change every copy.
    for (const person of matches) {
      if (change.name !== undefined) person.name = change.name;
      if (change.title !== undefined) person.title = change.title;
      if (change.email !== undefined) person.email = change.email;
    }
  });
  return issues;
}
