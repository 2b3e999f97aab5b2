/**
 * Reads filtered to a token's unit scope. A route that names a unit is guarded as a whole (JwtAuthGuard); a
 * read that spans units (a congress) keeps only what belongs to the units in scope, so that a token limited to
 * one unit sees neither the progress, assignees, agencies nor pending approvers of the others.
 */
import type { CongressView } from '../../../libs/contracts/congress.contract';
import type { CongressDayMovePreview } from '../../../libs/domain';

const pick = <T>(record: Record<string, T>, units: string[]) =>
  Object.fromEntries(Object.entries(record).filter(([unit]) => units.includes(unit)));

/** `units` undefined: an unscoped token, which sees everything. */
export function scopeCongressView<V extends CongressView>(view: V, units: string[] | undefined): V {
  if (units === undefined) return view;
  return {
    ...view,
    units: view.units.filter((unit) => units.includes(unit)),
    progress: pick(view.progress, units),
    finished: pick(view.finished, units),
    // Congress-wide entries stay (congress day moved, scenarios); an entry about another unit's plan does not.
    history: view.history.filter((entry) => {
      const unit = entry.details?.unitCode;
      return typeof unit !== 'string' || units.includes(unit);
    }),
  };
}

/** A preview of a move of congress day, with the plans of the units in scope only (as in the congress view). */
export function scopeCongressDayPreview(preview: CongressDayMovePreview, units: string[] | undefined) {
  if (units === undefined) return preview;
  return {
    ...preview,
    plans: preview.plans.filter((p) => units.includes(p.unitCode)),
    closingPlans: preview.closingPlans.filter((unit) => units.includes(unit)),
  };
}

/** A page of the plan list, with the plans of the units in scope only. */
export function scopePlanList<P extends { items: Array<{ unitCode: string }> }>(
  page: P,
  units: string[] | undefined,
): P {
  return { ...page, items: page.items.filter((p) => !units || units.includes(p.unitCode)) };
}
