import type { CongressView } from '../../../libs/contracts/congress.contract';
import type { CongressDayMovePreview, PlanSummary } from '../../../libs/domain';
import { scopeCongressDayPreview, scopeCongressView, scopePlanList } from './unit-scope';

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

describe('scopeCongressDayPreview', () => {
  const preview = {
    startDate: '2027-10-14',
    endDate: '2027-10-16',
    plans: [{ unitCode: 'AN' }, { unitCode: 'BPTT' }],
    closingPlans: ['AN', 'BPTT'],
    requiresConfirmation: true,
    confirmationField: 'confirmClosingPlans',
  } as unknown as CongressDayMovePreview;

  it('keeps only the plans of the units in scope', () => {
    const scoped = scopeCongressDayPreview(preview, ['AN']);
    expect(scoped.plans.map((p) => p.unitCode)).toEqual(['AN']);
    expect(scoped.closingPlans).toEqual(['AN']);
    expect(scoped.requiresConfirmation).toBe(true);
  });

  it('leaves the preview whole for a token without units', () => {
    expect(scopeCongressDayPreview(preview, undefined)).toBe(preview);
  });
});

describe('scopePlanList', () => {
  const page = { items: [{ unitCode: 'AN' }, { unitCode: 'BPTT' }], offset: 0, limit: 50 };

  it('keeps only the plans of the units in scope, and the page fields', () => {
    expect(scopePlanList(page, ['BPTT'])).toEqual({ items: [{ unitCode: 'BPTT' }], offset: 0, limit: 50 });
  });

  it('keeps every plan for a token without units', () => {
    expect(scopePlanList(page, undefined).items).toHaveLength(2);
  });
});
