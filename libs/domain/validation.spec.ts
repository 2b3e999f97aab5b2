import type { CongressDefinition, UnitPlanDefinition } from './model';
import {
  generatedPlan,
  logisticsPlan,
  propagandaPlan,
  provincialCongress,
  securityPlan,
  DEFAULT_ESCALATION_LADDER,
} from './templates';
import { findCycle, isExternalRef, taskDependencies, validateCongress, validatePlan } from './validation';

/**
 * Templates share arrays (agencies, ladder, reminders) between calls: every test works on a deep copy so
 * that breaking one plan cannot leak into another.
 */
const fresh = <T>(value: T): T => structuredClone(value);

const congress = (): CongressDefinition => fresh(provincialCongress());
const propaganda = (): UnitPlanDefinition => fresh(propagandaPlan());

function taskIndex(plan: UnitPlanDefinition, id: string): number {
  const i = plan.tasks.findIndex((t) => t.id === id);
  if (i < 0) throw new Error(`no task ${id} in ${plan.unitCode}`);
  return i;
}

describe('the templates', () => {
  it('have a valid congress', () => {
    expect(validateCongress(provincialCongress())).toEqual([]);
    expect(validateCongress(provincialCongress('dh-khac', '2027-02-15'))).toEqual([]);
  });

  it.each([
    ['propagandaPlan', propagandaPlan],
    ['logisticsPlan', logisticsPlan],
    ['securityPlan', securityPlan],
    ['generatedPlan(10)', () => generatedPlan(10)],
    ['generatedPlan(100)', () => generatedPlan(100)],
    ['generatedPlan(250, 200 days)', () => generatedPlan(250, { spanDays: 200, unitCode: 'BIG' })],
  ])('%s validates with no issues', (_name, make) => {
    expect(validatePlan(make(), provincialCongress())).toEqual([]);
  });
});

describe('validateCongress', () => {
  it('rejects an endDate before the startDate', () => {
    const c = congress();
    c.endDate = '2026-10-13';
    expect(validateCongress(c)).toEqual([{ path: 'congress.endDate', message: 'must not be before startDate' }]);
  });

  it('accepts a one-day congress', () => {
    const c = congress();
    c.endDate = c.startDate;
    expect(validateCongress(c)).toEqual([]);
  });

  it('rejects a date that does not exist', () => {
    const c = congress();
    c.startDate = '2026-02-30';
    expect(validateCongress(c)).toEqual([{ path: 'congress.startDate', message: 'must be a date YYYY-MM-DD' }]);
  });

  it('rejects a bad time zone', () => {
    const c = congress();
    c.timeZone = 'Asia/Hanoi_City';
    expect(validateCongress(c)).toEqual([
      { path: 'congress.timeZone', message: '"Asia/Hanoi_City" is not an IANA time zone' },
    ]);
  });

  it('defaults a missing time zone to Asia/Ho_Chi_Minh', () => {
    const c = congress();
    delete c.timeZone;
    expect(validateCongress(c)).toEqual([]);
  });

  it('requires at least one approver in the Standing Committee', () => {
    const c = congress();
    c.people.standingCommittee = [];
    expect(validateCongress(c)).toEqual([
      { path: 'congress.people.standingCommittee', message: 'at least one approver is required' },
    ]);
  });

  it('requires the head of the subcommittee', () => {
    const c = congress();
    c.people.head = { id: '', name: 'Ai đó' };
    const issues = validateCongress(c);
    expect(issues.map((i) => i.path)).toContain('congress.people.head');
  });

  it('rejects a bad id, an empty name and an unknown level', () => {
    const c = congress();
    c.id = 'Đại Hội';
    c.name = '  ';
    (c as { level: string }).level = 'village';
    expect(validateCongress(c).map((i) => i.path)).toEqual(['congress.id', 'congress.name', 'congress.level']);
  });

  it('rejects one person id used for two different names', () => {
    const c = congress();
    c.people.standingCommittee[0] = { id: 'ngtu', name: 'Someone else' };
    // head, 4 deputies, 2 standing section members, then the Standing Committee: index 7.
    expect(validateCongress(c)).toEqual([{ path: 'congress.people[7].id', message: '"ngtu" is used twice' }]);
  });

  it('accepts one person holding two roles under the same name', () => {
    const c = congress();
    c.people.standingCommittee.push({ ...c.people.head });
    expect(validateCongress(c)).toEqual([]);
  });

  it('prefixes paths with the given path', () => {
    const c = congress();
    c.endDate = '2026-10-01';
    expect(validateCongress(c, 'body')[0].path).toBe('body.endDate');
  });
});

describe('validatePlan: breaking a valid plan one way at a time', () => {
  describe('task ids', () => {
    it('rejects a duplicate task id, naming the first holder', () => {
      const plan = propaganda();
      plan.tasks[6].id = 'TT-06';
      expect(validatePlan(plan, congress())).toEqual([
        { path: 'plan.tasks[6].id', message: '"TT-06" is already the id of tasks[5]' },
      ]);
    });

    it('rejects a scenario task reusing a plan task id', () => {
      const plan = propaganda();
      plan.scenarios[0].tasks[1].id = 'TT-01';
      expect(validatePlan(plan, congress())).toEqual([
        { path: 'plan.scenarios[0].tasks[1].id', message: '"TT-01" is already the id of tasks[0]' },
      ]);
    });

    it('rejects an id with forbidden characters', () => {
      const plan = propaganda();
      plan.tasks[6].id = 'TT 07';
      expect(validatePlan(plan, congress())).toEqual([
        { path: 'plan.tasks[6].id', message: 'must be 1-64 letters, digits, dots, dashes or underscores' },
      ]);
    });
  });

  describe('references', () => {
    it('rejects an unknown group', () => {
      const plan = propaganda();
      plan.tasks[2].group = 'le-hoi';
      expect(validatePlan(plan, congress())).toEqual([
        { path: 'plan.tasks[2].group', message: '"le-hoi" is not a task group of the plan' },
      ]);
    });

    it('rejects an unknown lead agency', () => {
      const plan = propaganda();
      plan.tasks[2].leadAgency = 'SXD';
      expect(validatePlan(plan, congress())).toEqual([
        { path: 'plan.tasks[2].leadAgency', message: '"SXD" is not an agency of the plan' },
      ]);
    });

    it('rejects an unknown coordinating agency', () => {
      const plan = propaganda();
      plan.tasks[3].coordinatingAgencies = ['DPTTH', 'SXD'];
      expect(validatePlan(plan, congress())).toEqual([
        { path: 'plan.tasks[3].coordinatingAgencies[1]', message: '"SXD" is not an agency of the plan' },
      ]);
    });

    it('rejects an unknown responsible person', () => {
      const plan = propaganda();
      plan.tasks[0].responsible = 'nvan';
      expect(validatePlan(plan, congress())).toEqual([
        { path: 'plan.tasks[0].responsible', message: '"nvan" is not a known person' },
      ]);
    });

    it('accepts a responsible person listed in the plan’s own people', () => {
      const plan = propaganda();
      plan.people = [{ id: 'nvan', name: 'Nguyễn Văn An' }];
      plan.tasks[0].responsible = 'nvan';
      expect(validatePlan(plan, congress())).toEqual([]);
    });

    it('rejects an unknown unit lead', () => {
      const plan = propaganda();
      plan.unitLead = 'nvan';
      expect(validatePlan(plan, congress())).toEqual([
        { path: 'plan.unitLead', message: '"nvan" is not a known person' },
      ]);
    });

    it('rejects an unknown agency head', () => {
      const plan = propaganda();
      plan.agencies[2].head = 'nvan';
      expect(validatePlan(plan, congress())).toEqual([
        { path: 'plan.agencies[2].head', message: '"nvan" is not a known person' },
      ]);
    });

    it('rejects a duplicate agency code and a duplicate group id', () => {
      const plan = propaganda();
      plan.agencies.push({ code: 'BTG', name: 'Trùng' });
      plan.groups.push({ id: 'noi-dung', name: 'Trùng' });
      expect(validatePlan(plan, congress())).toEqual([
        { path: `plan.agencies[${plan.agencies.length - 1}].code`, message: '"BTG" is used twice' },
        { path: `plan.groups[${plan.groups.length - 1}].id`, message: '"noi-dung" is used twice' },
      ]);
    });
  });

  describe('dependencies', () => {
    it('rejects an unknown dependency', () => {
      const plan = propaganda();
      plan.tasks[1].dependsOn = ['TT-99'];
      expect(validatePlan(plan, congress())).toEqual([
        { path: 'plan.tasks[1].dependsOn[0]', message: '"TT-99" is not a task of the plan (nor UNIT:taskId)' },
      ]);
    });

    it('accepts another unit’s task as UNIT:taskId', () => {
      const plan = propaganda();
      plan.tasks[1].dependsOn = ['TT-01', 'BPHC:HC-02'];
      expect(validatePlan(plan, congress())).toEqual([]);
    });

    it('rejects a task depending on itself', () => {
      const plan = propaganda();
      plan.tasks[1].dependsOn = ['TT-02'];
      const issues = validatePlan(plan, congress());
      expect(issues).toContainEqual({ path: 'plan.tasks[1].dependsOn[0]', message: 'a task cannot depend on itself' });
    });

    it('rejects an after: deadline on an unknown task', () => {
      const plan = fresh(logisticsPlan());
      plan.tasks[taskIndex(plan, 'HC-02')].due = 'after:HC-09+30d';
      expect(validatePlan(plan, congress())).toEqual([
        { path: 'plan.tasks[1].due', message: '"HC-09" is not a task of the plan' },
      ]);
    });

    it('rejects a dependency cycle and lists it', () => {
      const plan = propaganda();
      // TT-05 → TT-02 → TT-01 already; closing the loop TT-01 → TT-05.
      plan.tasks[0].dependsOn = ['TT-05'];
      expect(validatePlan(plan, congress())).toEqual([
        { path: 'plan.tasks[0].dependsOn', message: 'dependency cycle: TT-01 → TT-05 → TT-02 → TT-01' },
      ]);
    });

    it('finds a cycle through an after: deadline', () => {
      const plan = fresh(logisticsPlan());
      plan.tasks[0].dependsOn = ['HC-02']; // HC-02 is due after:HC-01+30d
      expect(validatePlan(plan, congress())).toEqual([
        { path: 'plan.tasks[0].dependsOn', message: 'dependency cycle: HC-01 → HC-02 → HC-01' },
      ]);
    });

    it('rejects a deadline earlier than a prerequisite’s deadline', () => {
      const plan = propaganda();
      plan.tasks[1].due = 'T-100d'; // TT-02 depends on TT-01, due T-90d
      expect(validatePlan(plan, congress())).toEqual([
        {
          path: 'plan.tasks[1].due',
          message: '"T-100d" is earlier than the deadline of its prerequisite TT-01 (dependsOn[0])',
        },
      ]);
    });

    it('accepts a deadline equal to its prerequisite’s', () => {
      const plan = propaganda();
      plan.tasks[1].due = 'T-90d';
      expect(validatePlan(plan, congress())).toEqual([]);
    });

    it('compares working-day deadlines after resolving them (Tết in between)', () => {
      const plan = propaganda();
      // Congress on 2027-02-15: T-5wd is 2027-02-03 (Tết skipped), T-10d is 2027-02-05. TT-05 depends on TT-02.
      plan.tasks[taskIndex(plan, 'TT-02')].due = 'T-10d';
      plan.tasks[taskIndex(plan, 'TT-05')].due = 'T-5wd';
      expect(validatePlan(plan, provincialCongress('dh-tet', '2027-02-15'))).toEqual([
        {
          path: 'plan.tasks[4].due',
          message: '"T-5wd" is earlier than the deadline of its prerequisite TT-02 (dependsOn[0])',
        },
      ]);
    });
  });

  describe('task fields', () => {
    it('rejects a negative budget', () => {
      const plan = propaganda();
      plan.tasks[1].budgetVnd = -1;
      expect(validatePlan(plan, congress())).toEqual([
        { path: 'plan.tasks[1].budgetVnd', message: 'must be a non-negative amount in VND' },
      ]);
    });

    it('rejects a budget that is not a finite number', () => {
      const plan = propaganda();
      plan.tasks[1].budgetVnd = Number.NaN;
      expect(validatePlan(plan, congress()).map((i) => i.path)).toEqual(['plan.tasks[1].budgetVnd']);
    });

    it('rejects a malformed due, naming the task’s due path', () => {
      const plan = propaganda();
      plan.tasks[3].due = 'T-30';
      const issues = validatePlan(plan, congress());
      expect(issues).toHaveLength(1);
      expect(issues[0].path).toBe('plan.tasks[3].due');
      expect(issues[0].message).toMatch(/^"T-30" is not a due time: /);
    });

    it('rejects an A+ due outside a scenario', () => {
      const plan = propaganda();
      plan.tasks[3].due = 'A+2d';
      expect(validatePlan(plan, congress())).toEqual([
        { path: 'plan.tasks[3].due', message: "A+… deadlines are only for a contingency scenario's tasks" },
      ]);
    });

    it('rejects an empty title and an unknown phase', () => {
      const plan = propaganda();
      plan.tasks[3].title = ' ';
      (plan.tasks[3] as { phase: string }).phase = 'later';
      expect(validatePlan(plan, congress()).map((i) => i.path)).toEqual(['plan.tasks[3].title', 'plan.tasks[3].phase']);
    });
  });

  describe('escalation ladder and reminders', () => {
    it('rejects steps out of order', () => {
      const plan = propaganda();
      plan.escalationLadder = [
        { after: '0m', notify: ['assignee'] },
        { after: '4d', notify: ['standingSection'] },
        { after: '2d', notify: ['unitLead'] },
      ];
      expect(validatePlan(plan, congress())).toEqual([
        { path: 'plan.escalationLadder[2].after', message: 'steps must come in increasing order of delay' },
      ]);
    });

    it('rejects two steps with the same delay', () => {
      const plan = propaganda();
      plan.escalationLadder = [
        { after: '1d', notify: ['assignee'] },
        { after: '24h', notify: ['head'] },
      ];
      expect(validatePlan(plan, congress()).map((i) => i.path)).toEqual(['plan.escalationLadder[1].after']);
    });

    it('requires at least one step', () => {
      const plan = propaganda();
      plan.escalationLadder = [];
      expect(validatePlan(plan, congress())).toEqual([
        { path: 'plan.escalationLadder', message: 'needs at least one step' },
      ]);
    });

    it('rejects a step delay that is not a duration', () => {
      const plan = propaganda();
      plan.escalationLadder = [{ after: 'later', notify: ['head'] }];
      expect(validatePlan(plan, congress())).toEqual([
        { path: 'plan.escalationLadder[0].after', message: '"later" is not a duration' },
      ]);
    });

    it('rejects an unknown audience and a step notifying nobody', () => {
      const plan = propaganda();
      plan.escalationLadder = [
        { after: '0m', notify: ['assignee', 'minister' as never] },
        { after: '1d', notify: [] },
      ];
      expect(validatePlan(plan, congress())).toEqual([
        {
          path: 'plan.escalationLadder[0].notify[1]',
          message: 'must be one of assignee, leadAgencyHead, unitLead, standingSection, head',
        },
        { path: 'plan.escalationLadder[1].notify', message: 'must name at least one audience' },
      ]);
    });

    it('rejects a reminder that is not a duration', () => {
      const plan = propaganda();
      plan.reminders = ['7d', 'one day'];
      expect(validatePlan(plan, congress())).toEqual([
        { path: 'plan.reminders[1]', message: '"one day" is not a duration (e.g. 7d, 1d, 12h)' },
      ]);
    });

    it('leaves the shared default ladder untouched', () => {
      expect(DEFAULT_ESCALATION_LADDER.map((s) => s.after)).toEqual(['0m', '2d', '4d', '7d']);
    });
  });

  describe('approval policy', () => {
    it('rejects a bad quorum', () => {
      const plan = propaganda();
      (plan.approvalPolicy as { quorum: string }).quorum = 'two-thirds';
      expect(validatePlan(plan, congress())).toEqual([
        { path: 'plan.approvalPolicy.quorum', message: 'must be one of any, majority, all' },
      ]);
    });

    it('rejects a bad decision window and comment window', () => {
      const plan = propaganda();
      plan.approvalPolicy.decisionWindow = 'a week';
      plan.approvalPolicy.commentWindow = '3 days';
      expect(validatePlan(plan, congress())).toEqual([
        { path: 'plan.approvalPolicy.decisionWindow', message: 'must be a duration such as 5d' },
        { path: 'plan.approvalPolicy.commentWindow', message: 'must be a duration such as 3d' },
      ]);
    });

    it('rejects an empty list of approvers', () => {
      const plan = propaganda();
      plan.approvalPolicy.approvers = [];
      expect(validatePlan(plan, congress())).toEqual([
        { path: 'plan.approvalPolicy.approvers', message: 'must not be empty' },
      ]);
    });

    it('rejects an unknown approver', () => {
      const plan = propaganda();
      plan.approvalPolicy.approvers = ['btv-1', 'btv-9'];
      expect(validatePlan(plan, congress())).toEqual([
        { path: 'plan.approvalPolicy.approvers[1]', message: '"btv-9" is not a known person' },
      ]);
    });

    it('rejects a missing approval policy', () => {
      const plan = propaganda();
      delete (plan as Partial<UnitPlanDefinition>).approvalPolicy;
      expect(validatePlan(plan, congress())).toEqual([{ path: 'plan.approvalPolicy', message: 'is required' }]);
    });
  });

  describe('scenarios', () => {
    it('rejects a scenario suspending an unknown task', () => {
      const plan = propaganda();
      plan.scenarios[0].suspends = ['TT-05', 'TT-42'];
      expect(validatePlan(plan, congress())).toEqual([
        { path: 'plan.scenarios[0].suspends[1]', message: '"TT-42" is not a task of the plan' },
      ]);
    });

    it('rejects a scenario suspending its own task', () => {
      const plan = propaganda();
      plan.scenarios[0].suspends = ['DB-01'];
      expect(validatePlan(plan, congress()).map((i) => i.path)).toEqual(['plan.scenarios[0].suspends[0]']);
    });

    it('rejects a duplicate or malformed scenario code', () => {
      const plan = fresh(logisticsPlan());
      plan.scenarios[1].code = 'epidemic';
      expect(validatePlan(plan, congress())).toEqual([
        { path: 'plan.scenarios[1].code', message: '"epidemic" is used twice' },
      ]);
      plan.scenarios[1].code = 'Food Safety';
      expect(validatePlan(plan, congress())).toEqual([
        { path: 'plan.scenarios[1].code', message: 'must be 2-63 lowercase letters, digits or dashes' },
      ]);
    });

    it('validates scenario tasks with their own paths', () => {
      const plan = propaganda();
      plan.scenarios[0].tasks[0].leadAgency = 'WHO';
      expect(validatePlan(plan, congress())).toEqual([
        { path: 'plan.scenarios[0].tasks[0].leadAgency', message: '"WHO" is not an agency of the plan' },
      ]);
    });
  });

  describe('plan fields', () => {
    it('rejects a bad unit code, an empty unit name, a bad cadence and a bad closeAfter', () => {
      const plan = propaganda();
      plan.unitCode = 'BP TT';
      plan.unitName = '';
      (plan as { checkInCadence: string }).checkInCadence = 'weekly';
      plan.closeAfter = 'a month';
      expect(validatePlan(plan, congress())).toEqual([
        { path: 'plan.unitCode', message: 'must be 1-32 letters, digits or dashes' },
        { path: 'plan.unitName', message: 'must not be empty' },
        { path: 'plan.checkInCadence', message: 'must be one of monthly, quarterly, yearly, none' },
        { path: 'plan.closeAfter', message: 'must be a duration such as 30d' },
      ]);
    });

    it('rejects the plan’s own people using one id twice', () => {
      const plan = propaganda();
      plan.people = [
        { id: 'nvan', name: 'Nguyễn Văn An' },
        { id: 'nvan', name: 'Nguyễn Văn An' },
      ];
      expect(validatePlan(plan, congress())).toEqual([{ path: 'plan.people[1].id', message: '"nvan" is used twice' }]);
    });

    it('prefixes paths with the given path', () => {
      const plan = propaganda();
      plan.tasks[2].group = 'x';
      expect(validatePlan(plan, congress(), 'body')[0].path).toBe('body.tasks[2].group');
    });
  });
});

describe('dependency helpers', () => {
  it('taskDependencies lists dependsOn plus the task an after: deadline counts from, once', () => {
    expect(taskDependencies({ dependsOn: ['A'], due: 'after:B+2d' })).toEqual(['A', 'B']);
    expect(taskDependencies({ dependsOn: ['B'], due: 'after:B+2d' })).toEqual(['B']);
    expect(taskDependencies({ due: 'after:BPHC:HC-02' })).toEqual(['BPHC:HC-02']);
    expect(taskDependencies({ due: 'T-3d' })).toEqual([]);
  });

  it('isExternalRef recognises UNIT:taskId', () => {
    expect(isExternalRef('BPHC:HC-02')).toBe(true);
    expect(isExternalRef('HC-02')).toBe(false);
    expect(isExternalRef('BPHC:')).toBe(false);
    expect(isExternalRef(':HC-02')).toBe(false);
  });

  it('findCycle returns undefined for an acyclic graph', () => {
    const deps = new Map([
      ['a', ['b', 'c']],
      ['b', ['c']],
      ['c', []],
    ]);
    expect(findCycle(deps)).toBeUndefined();
  });

  it('findCycle returns the cycle with its first id repeated at the end', () => {
    const deps = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['d']],
      ['d', ['b']],
    ]);
    expect(findCycle(deps)).toEqual(['b', 'c', 'd', 'b']);
  });

  it('findCycle finds a self-loop', () => {
    expect(findCycle(new Map([['a', ['a']]]))).toEqual(['a', 'a']);
  });
});
