/**
 * Workflow interceptors: log each update and signal with the API request id that caused it (see
 * libs/contracts/request-id.ts), through the workflow logger, which is replay-safe.
 */
import {
  log,
  type SignalInput,
  type UpdateInput,
  type WorkflowInboundCallsInterceptor,
  type WorkflowInterceptorsFactory,
  type Next,
} from '@temporalio/workflow';
import { requestIdOf } from '../libs/contracts/request-id';

/**
 * Not `async`: an extra promise hop here would delay the update's completion by a microtask and reorder the
 * workflow's commands against recorded histories (the replay tests caught exactly that).
 */
class RequestIdInbound implements WorkflowInboundCallsInterceptor {
  handleUpdate(input: UpdateInput, next: Next<WorkflowInboundCallsInterceptor, 'handleUpdate'>): Promise<unknown> {
    const requestId = requestIdOf(input.headers);
    if (requestId) log.info('update', { update: input.name, updateId: input.updateId, requestId });
    return next(input);
  }

  handleSignal(input: SignalInput, next: Next<WorkflowInboundCallsInterceptor, 'handleSignal'>): Promise<void> {
    const requestId = requestIdOf(input.headers);
    if (requestId) log.info('signal', { signal: input.signalName, requestId });
    return next(input);
  }
}

export const interceptors: WorkflowInterceptorsFactory = () => ({ inbound: [new RequestIdInbound()] });
