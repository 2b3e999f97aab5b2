export * from './congress.contract';
export * from './plan.contract';
export * from './request-id';
export * from './search-attributes';
export * from './task-queue';
export * from './workflow-ids';
