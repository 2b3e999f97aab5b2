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

class RequestIdInbound implements WorkflowInboundCallsInterceptor {
  async handleUpdate(
    input: UpdateInput,
    next: Next<WorkflowInboundCallsInterceptor, 'handleUpdate'>,
  ): Promise<unknown> {
    const requestId = requestIdOf(input.headers);
    if (requestId) log.info('update', { update: input.name, updateId: input.updateId, requestId });
    return next(input);
  }

  async handleSignal(input: SignalInput, next: Next<WorkflowInboundCallsInterceptor, 'handleSignal'>): Promise<void> {
    const requestId = requestIdOf(input.headers);
    if (requestId) log.info('signal', { signal: input.signalName, requestId });
    return next(input);
  }
}

export const interceptors: WorkflowInterceptorsFactory = () => ({ inbound: [new RequestIdInbound()] });
