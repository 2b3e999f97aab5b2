import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import type { ApiEnv } from '../../../libs/config';
import { temporalConnectionConfig } from '../../../libs/config';
import { dataConverterFromEnv } from '../../../libs/codec';
import { API_ENV } from '../api.config';
import { requestIdClientInterceptor } from '../common/request-context';

/**
 * One Temporal client per process. The connection is lazy: the API starts (and /health answers 503) while
 * Temporal is unreachable, and connects on first use.
 */
/** How long one API call may wait on Temporal before the caller gets 503 (and Retry-After). */
export const TEMPORAL_CALL_TIMEOUT_MS = 10_000;

@Injectable()
export class TemporalClientHolder implements OnApplicationShutdown {
  readonly connection: Connection;
  readonly client: Client;

  constructor(@Inject(API_ENV) readonly env: ApiEnv) {
    this.connection = Connection.lazy({ ...temporalConnectionConfig(env), connectTimeout: '3s' });
    this.client = new Client({
      connection: this.connection,
      namespace: env.TEMPORAL_NAMESPACE,
      dataConverter: dataConverterFromEnv(env),
      interceptors: { workflow: [requestIdClientInterceptor] },
    });
  }

  /** Runs Temporal calls under a deadline, so that an unreachable server is a quick 503, not a hung request. */
  call<T>(fn: () => Promise<T>, timeoutMs = TEMPORAL_CALL_TIMEOUT_MS): Promise<T> {
    return this.connection.withDeadline(Date.now() + timeoutMs, fn);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.connection.close();
  }
}
