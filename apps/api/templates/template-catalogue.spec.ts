import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DomainError } from '../../../libs/domain';
import { loadTemplates, templatesDir } from '../../../libs/templates';
import { TemplateCatalogue } from './template-catalogue';

describe('TemplateCatalogue', () => {
  const shipped = readdirSync(templatesDir())
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.replace(/\.yaml$/, ''))
    .sort();

  it('loads every template file shipped in libs/templates/data', () => {
    expect(TemplateCatalogue.load().ids()).toEqual(shipped);
  });

  it('summarises each unit: its document, task and group counts, cadence and scenarios', () => {
    const catalogue = TemplateCatalogue.load();
    const templates = loadTemplates();
    const summaries = catalogue.summaries();
    expect(summaries.map((s) => s.id)).toEqual(shipped);
    summaries.forEach((summary, i) => {
      const template = templates[i];
      const { people } = template.congress;
      expect(summary.congress).toEqual({
        name: template.congress.name,
        number: template.congress.number,
        days: template.congress.days,
        people: expect.any(Array),
      });
      // Every person a `people` override may name, once per role, in the subcommittee's order.
      expect(summary.congress.people.map((p) => [p.role, p.id])).toEqual([
        ['head', people.head.id],
        ...people.deputyHeads.map((p) => ['deputyHead', p.id]),
        ...people.standingSection.map((p) => ['standingSection', p.id]),
        ...people.standingCommittee.map((p) => ['standingCommittee', p.id]),
      ]);
      expect(summary.units.map((u) => [u.unitCode, u.taskCount, u.groupCount, u.scenarios.length])).toEqual(
        template.plans.map((p) => [p.unitCode, p.tasks.length, p.groups.length, p.scenarios.length]),
      );
      for (const unit of summary.units) expect(unit.taskCount).toBeGreaterThan(0);
    });
  });

  it('finds a template by id, and province by its old name provincial', () => {
    const catalogue = TemplateCatalogue.load();
    for (const id of shipped) expect(catalogue.get(id).id).toBe(id);
    expect(catalogue.get('provincial').id).toBe('province');
  });

  it('refuses an unknown template with a 400 naming template and listing the known ids', () => {
    const catalogue = TemplateCatalogue.load();
    let error: unknown;
    try {
      catalogue.get('commune');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(DomainError);
    const { code, issues } = error as DomainError;
    expect(code).toBe('INVALID_INPUT');
    expect(issues).toHaveLength(1);
    expect(issues[0].path).toBe('template');
    for (const id of [...shipped, 'provincial']) expect(issues[0].message).toContain(id);
    expect(issues[0].message).toContain('"commune"');
  });

  describe('a broken file stops the load with its file and path', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(path.join(tmpdir(), 'tminus-templates-'));
      copyFileSync(path.join(templatesDir(), 'province.yaml'), path.join(dir, 'province.yaml'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('a YAML error: file, line and column', () => {
      writeFileSync(path.join(dir, 'city.yaml'), 'id: city\nlevel: [city\n');
      expect(() => TemplateCatalogue.load(dir)).toThrow(/city\.yaml: city\.yaml:\d+:\d+/);
    });

    it('a domain error: file and path into the template', () => {
      const province = loadTemplates(dir)[0];
      const broken = JSON.stringify({ ...province, id: 'national', level: 'national', plans: [{ unitCode: 'X' }] });
      writeFileSync(path.join(dir, 'national.yaml'), broken); // JSON is YAML
      expect(() => TemplateCatalogue.load(dir)).toThrow(/national\.yaml: plans\[0\]\./);
      expect(() => TemplateCatalogue.load(dir)).toThrow(dir);
    });
  });
});
