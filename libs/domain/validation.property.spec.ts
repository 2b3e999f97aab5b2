/**
 * Property tests of the definition validator: a definition with any values of the types the DTOs let through
 * (any strings, numbers, missing or repeated entries), or no definition at all, gets a list of issues, each
 * naming a path under what was validated, and never an exception. (Wrong JSON types are the DTOs' 400s, fuzzed
 * over HTTP by schemathesis.)
 */
import fc from 'fast-check';
import { logisticsPlan, propagandaPlan, provincialCongress, securityPlan } from './templates';
import { validateCongress, validatePlan } from './validation';
import type { CongressDefinition, UnitPlanDefinition } from './model';
import type { ValidationIssue } from './errors';

const RUNS = 400;

/** Validates as the API does: the congress, then each plan against it. */
function validateAll(congress: unknown, plans: unknown[]): ValidationIssue[] {
  return [
    ...validateCongress(congress as CongressDefinition),
    ...plans.flatMap((plan, i) =>
      validatePlan(plan as UnitPlanDefinition, congress as CongressDefinition, `plans[${i}]`),
    ),
  ];
}

function expectNamedIssues(issues: ValidationIssue[]): void {
  for (const issue of issues) {
    expect(issue.path).toMatch(/^(congress|plans\[\d+\])([.[]|$)/);
    expect(typeof issue.message).toBe('string');
    expect(issue.message.length).toBeGreaterThan(0);
  }
}

/** A value of any JSON shape, strings included that look like the domain's own (dates, durations, due times). */
const jsonish = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(
      '2027-10-14',
      '2026-02-30',
      'T-30d',
      'T-99999999999d',
      'after:TT-01+5d',
      '1d12h',
      '99999999999999w',
      '',
      ' ',
    ),
    fc.string(),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string({ maxLength: 8 }), tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** Any value of the same JSON type as `original`: what reaches the validator once the DTOs have checked types. */
function sameType(original: unknown, pick: { text: string; number: number; flag: boolean; index: number }): unknown {
  if (typeof original === 'string') return pick.text;
  if (typeof original === 'number') return pick.number;
  if (typeof original === 'boolean') return pick.flag;
  if (Array.isArray(original)) {
    // Drop an element, or repeat one (duplicates are a classic way to break invariants).
    const copy = [...original];
    if (pick.flag || copy.length === 0) copy.splice(pick.index % Math.max(1, copy.length), 1);
    else copy.push(copy[pick.index % copy.length]);
    return copy;
  }
  return {};
}

/** Replaces the value at a path of `base` (chosen by `steps`) with another of its type, or deletes it. */
function spoil(
  base: unknown,
  steps: number[],
  pick: { text: string; number: number; flag: boolean; index: number },
  remove: boolean,
): unknown {
  const copy = structuredClone(base) as Record<string, unknown>;
  let node: Record<string, unknown> = copy;
  for (let depth = 0; depth < steps.length; depth++) {
    const keys = Object.keys(node);
    if (keys.length === 0) break;
    const key = keys[steps[depth] % keys.length];
    const child = node[key];
    if (depth === steps.length - 1 || child === null || typeof child !== 'object') {
      if (remove && !Array.isArray(node)) delete node[key];
      else node[key] = sameType(child, pick);
      break;
    }
    node = child as Record<string, unknown>;
  }
  return copy;
}

const domainText = fc.oneof(
  fc.string(),
  fc.constantFrom(
    '',
    ' ',
    '2026-02-30',
    '2027-13-01',
    'T-30d',
    'T-99999999999d',
    'T+3661wd',
    'after:TT-01+5d',
    'after:TT-01',
    'after:NO:SUCH+1d',
    'A+2d',
    '1d12h',
    '99999999999999w',
    'Mars/Olympus',
    'BPTT',
    'TT-01',
    'btv-1',
  ),
);
const pick = fc.record({
  text: domainText,
  number: fc.oneof(fc.integer(), fc.double()),
  flag: fc.boolean(),
  index: fc.nat(),
});

describe('validator properties', () => {
  it('any JSON that is not a definition at all: a list of issues naming paths, never an exception', () => {
    const notAnObject = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null));
    fc.assert(
      fc.property(
        fc.oneof(notAnObject, fc.dictionary(fc.string({ maxLength: 8 }), jsonish, { maxKeys: 4 })),
        fc.array(notAnObject, { maxLength: 3 }),
        (congress, plans) => {
          expectNamedIssues(validateAll(congress, plans));
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('a valid definition spoiled at any path: issues naming paths, never an exception', () => {
    const congress = provincialCongress('dh-prop', '2027-10-14');
    const plans = [propagandaPlan(), logisticsPlan(), securityPlan()];
    expect(validateAll(congress, plans)).toEqual([]);
    fc.assert(
      fc.property(
        fc.nat({ max: 3 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 6 }),
        pick,
        fc.boolean(),
        (target, steps, value, remove) => {
          const spoiledCongress = target === 0 ? spoil(congress, steps, value, remove) : congress;
          const spoiledPlans = plans.map((plan, i) => (i + 1 === target ? spoil(plan, steps, value, remove) : plan));
          expectNamedIssues(validateAll(spoiledCongress, spoiledPlans));
        },
      ),
      { numRuns: RUNS * 2 },
    );
  });
});
