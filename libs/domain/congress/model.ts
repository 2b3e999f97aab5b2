/** A congress's running state, as the congress workflow carries it (JSON-serialisable, times in epoch ms). */
import type { RememberedRequest } from '../idempotency';
import type { CongressDefinition, PlanCommand } from '..';
import type { PlanSummary } from '../views';

/** A congress whose time zone is set: what every congress becomes where it enters (see `normaliseCongress`). */
export type NormalisedCongress = CongressDefinition & { timeZone: string };

export interface CongressHistoryEntry {
  at: number;
  actor: string;
  action: string;
  reason?: string;
  details?: Record<string, unknown>;
}

export interface CongressState {
  congress: CongressDefinition;
  /** Unit codes of the plans started as children. */
  units: string[];
  /** Unit code → the unit's name, for what people read. Absent in states from before it existed (codes shown). */
  unitNames?: Record<string, string>;
  /** Latest progress each plan reported. */
  progress: Record<string, PlanSummary>;
  /** Units whose plan has finished (closed or stopped). */
  finished: Record<string, string>;
  /** `UNIT:taskId` → completion time, for cross-unit dependencies. */
  completions: Record<string, number>;
  /** `UNIT:taskId` → units waiting on it. The watch lists of plans are derived from it. */
  subscribers: Record<string, string[]>;
  activeContingencies: string[];
  history: CongressHistoryEntry[];
  summaryReportWritten: boolean;
  /**
   * Task ids each started plan was told to announce (its watch list at start, then `watchTask` relays), so that
   * a plan is told once of each new watcher. Absent in states from before it existed.
   */
  watched?: Record<string, string[]>;
  /** Keyed requests already processed (the idempotency policy). Absent in states from before it existed. */
  processedRequests?: Array<RememberedRequest<CongressCommandResult>>;
}

/** A command for one plan, queued by the congress and sent by its workflow. */
export interface CongressRelay {
  unitCode: string;
  command: PlanCommand;
}

/** What a congress command answers. */
export type CongressCommandResult =
  | { ok: true; plans: number }
  | { ok: true; plans: string[] }
  | { ok: true; workflowId: string };
