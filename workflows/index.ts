/** Every workflow the worker registers. */
export { congressWorkflow } from './congress.workflow';
export { unitPlanWorkflow } from './unit-plan.workflow';
