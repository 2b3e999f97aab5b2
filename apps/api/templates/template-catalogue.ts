/**
 * The congress templates the API serves: read once at boot from libs/templates/data. A broken file is a
 * developer's error, so it stops the boot with its file and path instead of surfacing to a user later.
 */
import { DomainError, invalidInput, type Person } from '../../../libs/domain';
import { loadTemplates, templatesDir, type CongressTemplate } from '../../../libs/templates';

/** Old names still accepted, so that callers written before templates were files keep working. */
export const TEMPLATE_ALIASES: Readonly<Record<string, string>> = { provincial: 'province' };

/** What `GET /templates` shows of a template: enough to choose one, not the whole plan. */
export interface TemplateSummary {
  id: string;
  level: CongressTemplate['level'];
  title: string;
  description: string;
  sources: string[];
  congress: { name: string; number: string; days: number; people: TemplatePerson[] };
  units: Array<{
    unitCode: string;
    unitName: string;
    documentNumber?: string;
    taskCount: number;
    groupCount: number;
    checkInCadence: string;
    scenarios: Array<{ code: string; name: string }>;
  }>;
}

/** A person of the subcommittee, by role: whom a `people` override can name. */
export interface TemplatePerson {
  id: string;
  name: string;
  title?: string;
  role: 'head' | 'deputyHead' | 'standingSection' | 'standingCommittee';
}

function subcommitteePeople(people: CongressTemplate['congress']['people']): TemplatePerson[] {
  const withRole = (role: TemplatePerson['role']) => (p: Person) => ({
    id: p.id,
    name: p.name,
    ...(p.title ? { title: p.title } : {}),
    role,
  });
  return [
    withRole('head')(people.head),
    ...people.deputyHeads.map(withRole('deputyHead')),
    ...people.standingSection.map(withRole('standingSection')),
    ...people.standingCommittee.map(withRole('standingCommittee')),
  ];
}

export class TemplateCatalogue {
  private readonly byId: ReadonlyMap<string, CongressTemplate>;

  constructor(templates: CongressTemplate[]) {
    this.byId = new Map(templates.map((t) => [t.id, t]));
  }

  /** Loads every template in `dir`; throws a plain Error naming the folder, each file and path when one is broken. */
  static load(dir = templatesDir()): TemplateCatalogue {
    try {
      return new TemplateCatalogue(loadTemplates(dir));
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      const lines = err.issues.map((i) => `  ${i.path}: ${i.message}`).join('\n');
      throw new Error(`congress templates in ${dir} are broken:\n${lines}`, { cause: err });
    }
  }

  /** The loaded ids, then the aliases whose target is loaded. */
  ids(): string[] {
    return [...this.byId.keys()];
  }

  aliases(): string[] {
    return Object.keys(TEMPLATE_ALIASES).filter((alias) => this.byId.has(TEMPLATE_ALIASES[alias]));
  }

  /** The template of this id or alias, if any. */
  find(id: string): CongressTemplate | undefined {
    return this.byId.get(id) ?? this.byId.get(TEMPLATE_ALIASES[id] ?? '');
  }

  /** The template asked for by id or alias; a 400 naming `template` and listing the known ids otherwise. */
  get(id: string): CongressTemplate {
    const template = this.find(id);
    if (template) return template;
    const aliases = this.aliases().map((a) => `${a} for ${TEMPLATE_ALIASES[a]}`);
    const known = this.ids().join(', ') + (aliases.length > 0 ? ` (or ${aliases.join(', ')})` : '');
    throw invalidInput([{ path: 'template', message: `must be one of ${known}; got "${id}"` }]);
  }

  summaries(): TemplateSummary[] {
    return [...this.byId.values()].map((t) => ({
      id: t.id,
      level: t.level,
      title: t.title,
      description: t.description,
      sources: [...t.sources],
      congress: {
        name: t.congress.name,
        number: t.congress.number,
        days: t.congress.days,
        people: subcommitteePeople(t.congress.people),
      },
      units: t.plans.map((plan) => ({
        unitCode: plan.unitCode,
        unitName: plan.unitName,
        ...(plan.documentNumber !== undefined ? { documentNumber: plan.documentNumber } : {}),
        taskCount: plan.tasks.length,
        groupCount: plan.groups.length,
        checkInCadence: plan.checkInCadence,
        scenarios: plan.scenarios.map((s) => ({ code: s.code, name: s.name })),
      })),
    }));
  }
}
