/** The task queue the tminus worker polls; overridable by TEMPORAL_TASK_QUEUE for side-by-side deployments. */
export const DEFAULT_TASK_QUEUE = 'tminus-plans';
