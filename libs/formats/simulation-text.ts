/**
 * A simulation of a congress's plans (libs/domain/simulation) told in Vietnamese, in the congress's local time:
 * one line per event, as the command line prints it (`tminus plan simulate`) and the API answers it
 * (`POST /congresses/simulate`). Pure: no clock, no I/O.
 */
import { DEFAULT_TIME_ZONE, type CongressDefinition, type PlanState } from '../domain';
// Not exported by libs/domain's index, which the workflow bundle imports.
import type { SimulationEvent, SimulationResult } from '../domain/simulation';
import { formatLocalDateTime, localDateTime } from './task-rows';

/** One event of a simulation, as a person reads it. */
export interface SimulationLine {
  /** When (epoch ms). */
  at: number;
  /** `16/07/2026 17:00` in the congress's zone. */
  local: string;
  unitCode: string;
  kind: SimulationEvent['kind'];
  /** What happened, in Vietnamese. */
  text: string;
}

const timeZoneOf = (congress: Pick<CongressDefinition, 'timeZone'>) => congress.timeZone ?? DEFAULT_TIME_ZONE;

/** `16/07/2026 17:00` in the congress's zone. */
export function localTimeText(instant: number, congress: Pick<CongressDefinition, 'timeZone'>): string {
  return formatLocalDateTime(localDateTime(instant, timeZoneOf(congress)));
}

/** `3 ngày`, `5 giờ`, `2 ngày 4 giờ`: a span of time (its sign ignored), to the hour, for slack and lateness. */
export function spanText(ms: number): string {
  const hours = Math.round(Math.abs(ms) / 3_600_000);
  const days = Math.floor(hours / 24);
  const rest = hours % 24;
  if (days === 0) return `${rest} giờ`;
  return rest === 0 ? `${days} ngày` : `${days} ngày ${rest} giờ`;
}

/** One event in Vietnamese; `states` are the simulation's plans by unit code (for a scenario's name). */
export function describeSimulationEvent(event: SimulationEvent, states: ReadonlyMap<string, PlanState>): string {
  const state = states.get(event.unitCode);
  const people = (ids: string[]) => ids.join(', ');
  switch (event.kind) {
    case 'completed':
      return `Hoàn thành ${event.taskId} ${event.title}${event.lateMs > 0 ? ` (trễ ${spanText(event.lateMs)})` : ' (đúng hạn)'}`;
    case 'approved':
      return `Đã cho ý kiến đồng ý: ${event.title} (${people(event.by)})`;
    case 'scenario-requested': {
      const name = state?.definition.scenarios.find((s) => s.code === event.scenario)?.name ?? event.scenario;
      return `Đề nghị kích hoạt phương án dự phòng "${name}" (${event.by})`;
    }
    case 'effect': {
      const effect = event.effect;
      if (effect.kind === 'report') {
        return effect.report === 'closing'
          ? 'Kết thúc kế hoạch: ghi báo cáo tổng kết'
          : 'Giao ban: ghi báo cáo tiến độ';
      }
      if (effect.kind === 'archive') return 'Lưu trữ hồ sơ kế hoạch';
      if (effect.kind !== 'notify') return effect.kind;
      const to = effect.recipients.map((p) => p.name).join(', ');
      // The engine's own subject says what it is (`[Nhắc việc]`, `[Báo cáo vượt cấp 2]`…).
      return `${effect.subject}${to ? ` → gửi ${to}` : ''}`;
    }
  }
}

/** Every event of a simulation, in its order, as lines in the congress's local time. */
export function simulationLines(
  result: Pick<SimulationResult, 'events' | 'states'>,
  congress: Pick<CongressDefinition, 'timeZone'>,
): SimulationLine[] {
  const states = new Map(result.states.map((s) => [s.definition.unitCode, s]));
  return result.events.map((event) => ({
    at: event.at,
    local: localTimeText(event.at, congress),
    unitCode: event.unitCode,
    kind: event.kind,
    text: describeSimulationEvent(event, states),
  }));
}
