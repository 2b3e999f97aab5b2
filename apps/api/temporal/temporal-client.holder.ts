import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import type { ApiEnv } from '../../../libs/config';
import { temporalConnectionConfig } from '../../../libs/config';
import { API_ENV } from '../api.config';

/**
 * One Temporal client per process. The connection is lazy: the API starts (and /health answers 503) while
 * Temporal is unreachable, and connects on first use.
 */
@Injectable()
export class TemporalClientHolder implements OnApplicationShutdown {
  readonly connection: Connection;
  readonly client: Client;

  constructor(@Inject(API_ENV) readonly env: ApiEnv) {
    this.connection = Connection.lazy(temporalConnectionConfig(env));
    this.client = new Client({ connection: this.connection, namespace: env.TEMPORAL_NAMESPACE });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.connection.close();
  }
}

