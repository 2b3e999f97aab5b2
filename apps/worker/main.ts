import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import { Logger } from 'nestjs-pino';
import pino from 'pino';
import { WorkerModule } from './worker.module';
import { logFormat, logTransport } from '../../libs/config';
import { loadWorkerEnv } from './worker.config';

/** The SDK's log levels for ours (pino's names). */
const SDK_LOG_LEVELS: Record<string, LogLevel> = {
  fatal: 'ERROR',
  error: 'ERROR',
  warn: 'WARN',
  info: 'INFO',
  debug: 'DEBUG',
  trace: 'TRACE',
  silent: 'ERROR',
};

async function bootstrap(): Promise<void> {
  const env = loadWorkerEnv(); // fail fast, naming the bad variable, before anything connects
  // Nest owns SIGINT/SIGTERM (enableShutdownHooks below); Temporal's own handlers would shut down a second time.
  // The SDK's own log lines (worker state, workflow log calls with their request ids) as JSON, like Nest's.
  const sdkLog = pino({
    level: env.LOG_LEVEL,
    base: { service: 'tminus-worker', component: 'temporal-sdk' },
    ...logTransport(logFormat(env.LOG_FORMAT, Boolean(process.stdout.isTTY))),
  });
  const logger = new DefaultLogger(SDK_LOG_LEVELS[env.LOG_LEVEL], ({ level, message, meta }) => {
    const method = level === 'ERROR' ? 'error' : level === 'WARN' ? 'warn' : level === 'INFO' ? 'info' : 'debug';
    sdkLog[method](meta ?? {}, message);
  });
  Runtime.install({ shutdownSignals: [], logger });
  const app = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks(['SIGINT', 'SIGTERM']);
  app.get(Logger).log(`tminus worker started (LOG_LEVEL=${env.LOG_LEVEL})`);
}

bootstrap().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
