import { BadRequestException } from '@nestjs/common';
import type { ValidationIssue } from '../../../libs/domain';
import { strictValidationPipe } from '../common/validation';
import { CreateCongressFromTemplateDto, MAX_PEOPLE_OVERRIDES } from './congress.dto';

/** The issues the API's own pipe answers for a from-template body ([] when it passes). */
async function issues(body: Record<string, unknown>): Promise<ValidationIssue[]> {
  try {
    await strictValidationPipe().transform(body, { type: 'body', metatype: CreateCongressFromTemplateDto });
    return [];
  } catch (err) {
    if (!(err instanceof BadRequestException)) throw err;
    return (err.getResponse() as { issues: ValidationIssue[] }).issues;
  }
}

const base = { template: 'province', id: 'dh-tinh-xxii', startDate: '2030-10-14' };
// One field may break several rules (a string, not empty): each path once.
const paths = async (body: Record<string, unknown>) => [
  ...new Set((await issues({ ...base, ...body })).map((i) => i.path)),
];

describe('CreateCongressFromTemplateDto', () => {
  it('accepts the bare request and every override at once', async () => {
    expect(await issues(base)).toEqual([]);
    expect(
      await issues({
        ...base,
        template: 'provincial',
        name: 'Đại hội đại biểu Đảng bộ tỉnh lần thứ XXII, nhiệm kỳ 2030-2035',
        number: 'XXII',
        term: '2030-2035',
        endDate: '2030-10-14',
        people: [
          { id: 'tvchung', email: 'chung@example.vn' },
          { id: 'ngtu', name: 'Ngô Gia Tự', title: 'Phó' },
        ],
      }),
    ).toEqual([]);
  });

  it.each([
    ['template', { template: '' }],
    ['template', { template: 42 }],
    ['number', { number: 'xxii' }],
    ['number', { number: '22' }],
    ['number', { number: 'XXIIIIIIIII' }],
    ['term', { term: '2030' }],
    ['term', { term: '2030-2030' }],
    ['term', { term: '2035-2030' }],
    ['term', { term: '2030–2035' }],
    ['endDate', { endDate: '2030-10-13' }],
    ['endDate', { endDate: '2030-02-30' }],
    ['name', { name: '' }],
    ['name', { name: 'x'.repeat(5_000) }],
    ['people', { people: 'tvchung' }],
    ['people[0].id', { people: [{ email: 'a@example.vn' }] }],
    ['people[0].email', { people: [{ id: 'tvchung', email: 'not-an-email' }] }],
    ['people[1].name', { people: [{ id: 'tvchung' }, { id: 'ngtu', name: '' }] }],
    ['people[0].role', { people: [{ id: 'tvchung', role: 'head' }] }],
  ])('refuses a bad %s, naming it', async (field, body) => {
    expect(await paths(body)).toEqual([field]);
  });

  it('words each refusal so that a person can fix it', async () => {
    const all = await issues({
      ...base,
      number: '22',
      term: '2035-2030',
      endDate: '2030-10-01',
      people: [{ id: 'tvchung', email: 'x' }],
    });
    expect(all).toEqual([
      { path: 'endDate', message: 'must not be before startDate' },
      { path: 'number', message: 'must be a roman numeral such as XXI' },
      { path: 'term', message: 'must be two years YYYY-YYYY, the second after the first' },
      { path: 'people[0].email', message: 'must be an email' },
    ]);
  });

  it(`takes at most ${MAX_PEOPLE_OVERRIDES} people`, async () => {
    const people = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `p${i}` }));
    expect(await paths({ people: people(MAX_PEOPLE_OVERRIDES) })).toEqual([]);
    expect(await paths({ people: people(MAX_PEOPLE_OVERRIDES + 1) })).toEqual(['people']);
  });

  it('leaves endDate alone when startDate itself is wrong: that field is named, once', async () => {
    expect(await paths({ startDate: '2030-02-30', endDate: '2030-03-01' })).toEqual(['startDate']);
  });
});
