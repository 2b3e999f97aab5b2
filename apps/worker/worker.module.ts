import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { TemporalWorkerService } from './temporal-worker.service';
import { loadWorkerEnv, WORKER_ENV } from './worker.config';
import type { WorkerEnv } from '../../libs/config';

/** The worker process: no HTTP server, only the Temporal worker and its activities. */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      providers: [{ provide: WORKER_ENV, useFactory: () => loadWorkerEnv() }],
      inject: [WORKER_ENV],
      useFactory: (env: WorkerEnv) => ({ pinoHttp: { level: env.LOG_LEVEL, base: { service: 'tminus-worker' } } }),
    }),
  ],
  providers: [{ provide: WORKER_ENV, useFactory: () => loadWorkerEnv() }, TemporalWorkerService],
})
export class WorkerModule {}
