/**
 * One timing source, checked by property: for random plans, command sequences and clocks, a plan woken only
 * at `nextWakeAt` (and when a command arrives) does exactly what a plan advanced every minute does, at the
 * same moments.
 */
import fc from 'fast-check';
import { addCalendarDays, instantAt } from '../calendar';
import { DAY_MS, MINUTE_MS } from '../duration';
import type { EscalationAudience, EscalationStep, PlanState, TaskDefinition, UnitPlanDefinition } from '../model';
import { propagandaPlan, provincialCongress } from '../templates';
import { advance, nextWakeAt } from './clock';
import { applyCommand } from './commands';
import { createPlanState } from './state';
import type { PlanCommand } from './types';

const TZ = 'Asia/Ho_Chi_Minh';
const CONGRESS_DAY = '2026-10-14';
const coordinator = { id: 'vptu-tt1', name: 'Lê Minh Thường trực', roles: ['coordinator'] };
const head = { id: 'tvchung', name: 'Trần Văn Chung', roles: ['admin'] };
const approver = (n: number) => ({ id: `btv-${n}`, name: `Ủy viên ${n}`, roles: ['approver'] });
const TASK_IDS = ['P-1', 'P-2', 'P-3', 'P-4', 'P-5'];
const AUDIENCES: EscalationAudience[] = ['assignee', 'leadAgencyHead', 'unitLead', 'standingSection', 'head'];

const dueArb = fc.constantFrom('T-12d', 'T-8d', 'T-5d@08:30', 'T-3wd', 'T-1d', 'T+1d@12:00', 'E+1d', 'after:P-1+1d');

const ladderArb = fc
  .uniqueArray(fc.constantFrom(0, 30, 240, 1440, 2880), { minLength: 1, maxLength: 4 })
  .chain((delays) =>
    fc.tuple(
      fc.constant([...delays].sort((a, b) => a - b)),
      fc.array(fc.subarray(AUDIENCES, { minLength: 1 }), { minLength: delays.length, maxLength: delays.length }),
    ),
  )
  .map(([delays, audiences]): EscalationStep[] =>
    delays.map((minutes, i) => ({ after: `${minutes}m`, notify: audiences[i] })),
  );

const planArb = fc
  .record({
    dues: fc.array(dueArb, { minLength: TASK_IDS.length, maxLength: TASK_IDS.length }),
    reminders: fc.subarray(['3d', '1d', '2h']),
    ladder: ladderArb,
    needsApproval: fc.boolean(),
    cadence: fc.constantFrom('monthly' as const, 'none' as const),
  })
  .map(({ dues, reminders, ladder, needsApproval, cadence }): UnitPlanDefinition => {
    const base = propagandaPlan();
    const tasks: TaskDefinition[] = TASK_IDS.map((id, i) => ({
      id,
      title: `Nhiệm vụ ${id}`,
      group: 'noi-dung',
      phase: 'before',
      leadAgency: i % 2 === 0 ? 'BTG' : 'VPTU',
      responsible: i % 2 === 0 ? 'ptthang' : undefined,
      due: id === 'P-1' && dues[i].startsWith('after:') ? 'T-10d' : dues[i],
    }));
    return {
      ...base,
      tasks,
      reminders,
      escalationLadder: ladder,
      approvalPolicy: {
        quorum: 'majority',
        decisionWindow: '2d',
        planRequiresApproval: needsApproval,
        commentWindow: '1d',
      },
      scenarios: [{ ...base.scenarios[0], suspends: ['P-3', 'P-4'] }],
      checkInCadence: cadence,
      closeAfter: '1d',
    };
  });

type Step = { minute: number; make: () => PlanCommand };

const commandArb: fc.Arbitrary<Step> = fc
  .tuple(
    fc.integer({ min: 0, max: 20 * 24 * 60 }),
    fc.oneof(
      fc.record({ kind: fc.constant('complete'), task: fc.constantFrom(...TASK_IDS) }),
      fc.record({
        kind: fc.constant('progress'),
        task: fc.constantFrom(...TASK_IDS),
        p: fc.integer({ min: 0, max: 99 }),
      }),
      fc.record({ kind: fc.constant('ack'), task: fc.constantFrom(...TASK_IDS), hold: fc.constantFrom('2h', '1d') }),
      fc.record({ kind: fc.constant('move'), days: fc.integer({ min: -2, max: 4 }) }),
      fc.record({ kind: fc.constant('contingency'), on: fc.boolean() }),
      fc.record({
        kind: fc.constant('decide'),
        approval: fc.constantFrom('A1', 'A2', 'A3'),
        who: fc.integer({ min: 1, max: 3 }),
      }),
      fc.record({ kind: fc.constant('deadline'), task: fc.constantFrom(...TASK_IDS), due: dueArb }),
    ),
  )
  .map(([minute, c]): Step => {
    const make = (): PlanCommand => {
      switch (c.kind) {
        case 'complete':
          return { type: 'completeTask', actor: coordinator, taskId: c.task };
        case 'progress':
          return { type: 'reportProgress', actor: coordinator, taskId: c.task, progress: c.p };
        case 'ack':
          return { type: 'acknowledgeEscalation', actor: coordinator, taskId: c.task, holdFor: c.hold };
        case 'move': {
          const start = addCalendarDays(CONGRESS_DAY, c.days);
          return {
            type: 'moveCongressDay',
            actor: coordinator,
            reason: 'dời ngày',
            startDate: start,
            endDate: addCalendarDays(start, 2),
          };
        }
        case 'contingency':
          return c.on
            ? { type: 'activateContingencyEmergency', actor: head, reason: 'dịch', scenario: 'epidemic' }
            : { type: 'deactivateContingency', actor: head, reason: 'hết dịch', scenario: 'epidemic' };
        case 'decide':
          return { type: 'decide', actor: approver(c.who), approvalId: c.approval, decision: 'approve' };
        case 'deadline':
          return { type: 'changeDeadline', actor: coordinator, reason: 'điều chỉnh', taskId: c.task, due: c.due };
      }
    };
    return { minute, make };
  });

/** What the plan did, and when: its audit log and every effect it queued. */
function trace(state: PlanState) {
  return {
    audit: state.audit.map((e) => [e.at, e.action, e.target ?? '', JSON.stringify(e.details ?? {})].join(' ')),
    effects: state.outbox.map((e) => e.key),
    status: state.status,
  };
}

function tryApply(state: PlanState, command: PlanCommand, now: number): void {
  try {
    applyCommand(state, command, now);
  } catch {
    // refused: the state is as it was (all or nothing), in both runs alike
  }
}

describe('one timing source (property)', () => {
  it('waking only at nextWakeAt fires exactly what advancing every minute fires, at the same moments', () => {
    fc.assert(
      fc.property(
        planArb,
        fc.array(commandArb, { maxLength: 12 }),
        fc.integer({ min: 0, max: 600 }),
        (plan, steps, startOffsetMinutes) => {
          const start = instantAt(addCalendarDays(CONGRESS_DAY, -16), 7 * 60, TZ) + startOffsetMinutes * MINUTE_MS;
          const at = (s: Step) => start + s.minute * MINUTE_MS;
          const sorted = [...steps].sort((a, b) => a.minute - b.minute);
          const end = start + 20 * DAY_MS;

          const everyMinute = createPlanState(provincialCongress('dh-prop', CONGRESS_DAY), plan, start);
          let next = 0;
          for (let now = start; now <= end; now += MINUTE_MS) {
            while (next < sorted.length && at(sorted[next]) === now) tryApply(everyMinute, sorted[next++].make(), now);
            advance(everyMinute, now);
          }

          const onWake = createPlanState(provincialCongress('dh-prop', CONGRESS_DAY), plan, start);
          let now = start;
          let i = 0;
          advance(onWake, now);
          for (;;) {
            const wake = nextWakeAt(onWake, now);
            const command = i < sorted.length ? at(sorted[i]) : undefined;
            const candidates = [wake, command].filter((t): t is number => t !== undefined && t <= end);
            if (candidates.length === 0) break;
            now = Math.min(...candidates);
            while (i < sorted.length && at(sorted[i]) === now) tryApply(onWake, sorted[i++].make(), now);
            advance(onWake, now);
          }

          expect(trace(onWake)).toEqual(trace(everyMinute));
        },
      ),
      { numRuns: Number(process.env.TMINUS_PROPERTY_RUNS ?? 8) },
    );
  });
});
