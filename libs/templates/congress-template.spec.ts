import { readFileSync } from 'node:fs';
import path from 'node:path';
import { admitCongress } from '../domain';
import { congressName, defaultTerm, instantiateTemplate, readTemplate } from './congress-template';
import { loadTemplates, templatesDir } from './template-files';

const provinceText = readFileSync(path.join(templatesDir(), 'province.yaml'), 'utf8');

describe('congress templates', () => {
  it('every shipped template validates and admits a congress through the domain', () => {
    const templates = loadTemplates();
    expect(templates.map((t) => t.id)).toContain('province');
    for (const template of templates) {
      const { congress, plans, issues } = instantiateTemplate(template, {
        id: `dh-${template.id}`,
        startDate: '2031-03-10',
      });
      expect(issues).toEqual([]);
      expect(() => admitCongress(congress, plans, Date.parse('2030-01-01T00:00:00Z'))).not.toThrow();
      expect(congress.name).not.toMatch(/[{}]/);
    }
  });

  it('derives the name from the number and the term, never from a past congress', () => {
    expect(defaultTerm('2030-10-14')).toBe('2030-2035');
    expect(congressName('lần thứ {number}, nhiệm kỳ {term}', { number: 'XXII', term: '2030-2035' })).toBe(
      'lần thứ XXII, nhiệm kỳ 2030-2035',
    );
    const template = readTemplate(provinceText, 'province.yaml').template!;
    const { congress } = instantiateTemplate(template, { id: 'dh-tinh-xxii', startDate: '2030-10-14', number: 'XXII' });
    expect(congress.name).toBe('Đại hội đại biểu Đảng bộ tỉnh lần thứ XXII, nhiệm kỳ 2030-2035');
    expect(congress.endDate).toBe('2030-10-16');
  });

  it('applies overrides: name, term, end date and people by id with their emails', () => {
    const template = readTemplate(provinceText, 'province.yaml').template!;
    const head = template.congress.people.head.id;
    const made = instantiateTemplate(template, {
      id: 'dh-x',
      startDate: '2030-10-14',
      endDate: '2030-10-15',
      term: '2030-2035',
      people: [{ id: head, email: 'truongtieuban@example.vn' }, { id: 'nobody' }],
    });
    expect(made.congress.endDate).toBe('2030-10-15');
    expect(made.congress.people.head.email).toBe('truongtieuban@example.vn');
    expect(template.congress.people.head.email).toBeUndefined();
    expect(made.issues).toEqual([{ path: 'people[1].id', message: 'no person "nobody" in the template' }]);
  });

  it('names the file, line and column of a YAML error, and the path of a domain error', () => {
    const broken = readTemplate('id: x\nlevel: [province\n', 'broken.yaml');
    expect(broken.issues[0].path).toMatch(/^broken\.yaml:\d+:\d+$/);
    const wrongDue = provinceText.replace(/due: T-\d+d/, 'due: soon');
    const issues = readTemplate(wrongDue, 'province.yaml').issues;
    expect(issues.length).toBeGreaterThan(0);
    expect(issues[0].path).toMatch(/^plans\[0\]\.tasks\[\d+\]\.due$/);
    expect(readTemplate('- a\n- b\n', 'list.yaml').issues).toEqual([
      { path: 'list.yaml', message: 'a template is a YAML mapping' },
    ]);
    expect(readTemplate('id: x\n', 'x.yaml').issues.map((i) => i.path)).toEqual(
      expect.arrayContaining(['level', 'title', 'congress', 'plans']),
    );
  });
});
