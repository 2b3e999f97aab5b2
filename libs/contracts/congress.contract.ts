/** The congress workflow's contract: one per congress, parent of its unit plans. */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Actor, CongressDefinition, CongressState, PlanSummary, UnitPlanDefinition } from '../domain';

export const CONGRESS_WORKFLOW_TYPE = 'congressWorkflow';

export type { CongressState };

export type CongressInput =
  | { kind: 'start'; congress: CongressDefinition; plans: UnitPlanDefinition[] }
  | { kind: 'resume'; state: CongressState; pendingPlans: UnitPlanDefinition[] };

export interface CongressCommandBase {
  actor: Actor;
  reason: string;
  requestId?: string;
}

export const congressUpdates = {
  moveCongressDay: defineUpdate<
    { ok: true; plans: number },
    [CongressCommandBase & { startDate: string; endDate: string; confirmClosingPlans?: boolean }]
  >('moveCongressDay'),
  activateContingency: defineUpdate<{ ok: true; plans: string[] }, [CongressCommandBase & { scenario: string }]>(
    'activateContingency',
  ),
  deactivateContingency: defineUpdate<{ ok: true; plans: string[] }, [CongressCommandBase & { scenario: string }]>(
    'deactivateContingency',
  ),
  addPlan: defineUpdate<
    { ok: true; workflowId: string },
    [{ actor: Actor; plan: UnitPlanDefinition; requestId?: string }]
  >('addPlan'),
  /** Answers once every plan the congress started with exists (the API answers a creation then). */
  awaitPlans: defineUpdate<{ ok: true; units: string[] }, []>('awaitPlans'),
};

export const congressSignals = {
  taskCompleted: defineSignal<[{ unitCode: string; taskId: string; at: number }]>('taskCompleted'),
  dependencyWanted: defineSignal<[{ unitCode: string; ref: string }]>('dependencyWanted'),
  planProgress: defineSignal<[PlanSummary]>('planProgress'),
};

export interface CongressView {
  workflowId: string;
  congress: CongressDefinition;
  units: string[];
  progress: Record<string, PlanSummary>;
  finished: Record<string, string>;
  activeContingencies: string[];
  history: CongressState['history'];
}

export const congressQueries = {
  view: defineQuery<CongressView>('view'),
};

/** What each message of the congress workflow does, shown beside it in the Temporal UI (Vietnamese: ops read it). */
export const CONGRESS_HANDLER_DESCRIPTIONS: Readonly<
  Record<keyof typeof congressUpdates | keyof typeof congressSignals | keyof typeof congressQueries, string>
> = {
  moveCongressDay: 'Đổi ngày Đại hội: mọi kế hoạch tính lại thời hạn',
  activateContingency: 'Kích hoạt phương án dự phòng cho mọi kế hoạch có phương án đó',
  deactivateContingency: 'Kết thúc phương án dự phòng ở mọi kế hoạch',
  addPlan: 'Bổ sung kế hoạch của một bộ phận vào Đại hội đang chạy',
  awaitPlans: 'Chờ đến khi mọi kế hoạch ban đầu đã được khởi tạo',
  taskCompleted: 'Một bộ phận báo nhiệm vụ mà bộ phận khác chờ đã xong',
  dependencyWanted: 'Một bộ phận cần biết khi nhiệm vụ của bộ phận khác xong',
  planProgress: 'Tiến độ mới nhất của một kế hoạch',
  view: 'Đại hội: các kế hoạch, tiến độ, phương án dự phòng đang áp dụng và lịch sử',
};
