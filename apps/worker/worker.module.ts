import { Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { LoggerModule } from 'nestjs-pino';
import { logFormat, logTransport, type WorkerEnv } from '../../libs/config';
import { TemporalWorkerService } from './temporal-worker.service';
import { loadWorkerEnv, WORKER_ENV } from './worker.config';

/** The validated environment, as the API has it: @nestjs/config checks it with the class-validator schema. */
@Global()
@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, validate: (raw) => ({ ...loadWorkerEnv(raw) }) }),
  ],
  providers: [{ provide: WORKER_ENV, useFactory: () => loadWorkerEnv() }],
  exports: [WORKER_ENV],
})
export class WorkerConfigModule {}

/** The worker process: no HTTP server, only the Temporal worker and its activities. */
@Module({
  imports: [
    WorkerConfigModule,
    LoggerModule.forRootAsync({
      inject: [WORKER_ENV],
      useFactory: (env: WorkerEnv) => ({
        pinoHttp: {
          level: env.LOG_LEVEL,
          base: { service: 'tminus-worker' },
          ...logTransport(logFormat(env.LOG_FORMAT, Boolean(process.stdout.isTTY))),
        },
      }),
    }),
  ],
  providers: [TemporalWorkerService],
})
export class WorkerModule {}
