import type { CongressView } from '../../../libs/contracts/congress.contract';
import type { PlanSummary } from '../../../libs/domain';
import { scopeCongressView } from './unit-scope';

const summary = (unitCode: string): PlanSummary => ({
  congressId: 'dh',
  unitCode,
  status: 'active',
  phase: 'preparation',
  overdueCount: 1,
  highestEscalationLevel: 0,
  activeContingencies: [],
  assignees: [`nguoi-${unitCode}`],
  agencies: [`CQ-${unitCode}`],
  pendingApprovalGroups: [],
  pendingApprovers: [`btv-${unitCode}`],
  failedDeliveries: 0,
  done: 0,
  total: 3,
});

const view = {
  workflowId: 'congress/dh',
  congress: { id: 'dh' },
  units: ['AN', 'BPTT', 'BPHC'],
  progress: { AN: summary('AN'), BPTT: summary('BPTT'), BPHC: summary('BPHC') },
  finished: { BPHC: 'closed' },
  activeContingencies: ['epidemic'],
  history: [
    { at: 1, actor: 'vptu', action: 'congress.moved', details: { startDate: '2027-10-14', endDate: '2027-10-16' } },
    { at: 2, actor: 'vptu', action: 'plan.added', details: { unitCode: 'BPTT' } },
    { at: 3, actor: 'vptu', action: 'plan.added', details: { unitCode: 'AN' } },
  ],
} as unknown as CongressView;

describe('scopeCongressView', () => {
  it('shows a token limited to AN nothing of the other units', () => {
    const scoped = scopeCongressView(view, ['AN']);
    expect(scoped.units).toEqual(['AN']);
    expect(Object.keys(scoped.progress)).toEqual(['AN']);
    expect(scoped.finished).toEqual({});
    expect(scoped.history.map((e) => e.at)).toEqual([1, 3]);
    expect(JSON.stringify(scoped)).not.toMatch(/BPTT|BPHC/);
    expect(scoped.activeContingencies).toEqual(['epidemic']);
  });

  it('leaves the view whole for a token without units', () => {
    expect(scopeCongressView(view, undefined)).toBe(view);
  });
});
