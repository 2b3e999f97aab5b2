/**
 * The API's gRPC retries: the SDK's default everywhere, except that an update Temporal refuses for load
 * (RESOURCE_EXHAUSTED: too many updates in flight on one workflow, or a rate limit) is not retried inside
 * the request. The SDK would back off for seconds, past the call's deadline, and the client would get a 503
 * "unreachable"; instead it gets 429 with Retry-After at once. The refused update was never admitted, so
 * a retry (with the same Idempotency-Key) applies it exactly once.
 */
import { status as GrpcStatus, type Interceptor } from '@grpc/grpc-js';
import { defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';

const UPDATE_METHOD = '/temporal.api.workflowservice.v1.WorkflowService/UpdateWorkflowExecution';

export function apiGrpcInterceptors(): Interceptor[] {
  const defaults = defaultGrpcRetryOptions();
  const retryAll = makeGrpcRetryInterceptor(defaults);
  const retryUpdate = makeGrpcRetryInterceptor({
    ...defaults,
    retryableDecider: (attempt, status) =>
      status.code !== GrpcStatus.RESOURCE_EXHAUSTED && defaults.retryableDecider(attempt, status),
  });
  return [
    (options, nextCall) =>
      (options.method_definition.path === UPDATE_METHOD ? retryUpdate : retryAll)(options, nextCall),
  ];
}
