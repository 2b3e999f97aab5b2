/**
 * Who cancelled a plan from outside tminus (the Temporal CLI, the Temporal UI, another SDK client): the
 * workflow only learns that it is cancelled, so this activity reads the cancel request from the run's history.
 */
import { Context } from '@temporalio/activity';

export interface CancelRequestInput {
  workflowId: string;
  runId: string;
}

export interface CancelRequest {
  /** The Temporal identity of the caller (the CLI's `temporal-cli:user@host`, a client's `pid@host`…). */
  identity: string;
  /** The reason given with the request, if any. */
  reason?: string;
  /** When Temporal recorded the request (ISO 8601). */
  requestedAt?: string;
}

export function createCancellationActivities() {
  return {
    async describeCancelRequest(input: CancelRequestInput): Promise<CancelRequest> {
      const history = await Context.current().client.workflow.getHandle(input.workflowId, input.runId).fetchHistory();
      const request = [...(history.events ?? [])]
        .reverse()
        .find((event) => event.workflowExecutionCancelRequestedEventAttributes);
      const attributes = request?.workflowExecutionCancelRequestedEventAttributes;
      const seconds = request?.eventTime?.seconds;
      return {
        identity: attributes?.identity || 'unknown',
        ...(attributes?.cause ? { reason: attributes.cause } : {}),
        ...(seconds != null
          ? {
              requestedAt: new Date(
                Number(seconds) * 1000 + Math.floor((request?.eventTime?.nanos ?? 0) / 1e6),
              ).toISOString(),
            }
          : {}),
      };
    },
  };
}
