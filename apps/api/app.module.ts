import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { LoggerModule } from 'nestjs-pino';
import { logFormat, logTransport, type ApiEnv } from '../../libs/config';
import { ApprovalsController } from './approvals/approvals.controller';
import { CodecModule } from './codec/codec.module';
import { API_ENV, loadApiEnv } from './api.config';
import { AuthModule } from './auth/auth.module';
import { requestLogOptions } from './common/request-logging';
import { TemporalExceptionFilter } from './common/temporal-exception.filter';
import { strictValidationPipe } from './common/validation';
import { CongressesController } from './congresses/congresses.controller';
import { ExportsModule } from './exports/exports.module';
import { HealthController } from './health/health.controller';
import { PlansController } from './plans/plans.controller';
import { TemporalModule } from './temporal/temporal.module';
import { TemplateCatalogue } from './templates/template-catalogue';
import { TemplatesController } from './templates/templates.controller';
import { Global } from '@nestjs/common';

@Global()
@Module({
  imports: [
    // @nestjs/config validates the whole environment at boot with the class-validator schema in libs/config.
    ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, validate: (raw) => ({ ...loadApiEnv(raw) }) }),
  ],
  providers: [{ provide: API_ENV, useFactory: () => loadApiEnv() }],
  exports: [API_ENV],
})
export class ApiConfigModule {}

@Module({
  imports: [
    ApiConfigModule,
    LoggerModule.forRootAsync({
      inject: [API_ENV],
      useFactory: (env: ApiEnv) => ({
        pinoHttp: {
          ...requestLogOptions(env.LOG_LEVEL),
          ...logTransport(logFormat(env.LOG_FORMAT, Boolean(process.stdout.isTTY))),
        },
      }),
    }),
    ThrottlerModule.forRootAsync({
      inject: [API_ENV],
      useFactory: (env: ApiEnv) => ({ throttlers: [{ ttl: env.THROTTLE_TTL_MS, limit: env.THROTTLE_LIMIT }] }),
    }),
    TerminusModule.forRoot({ errorLogStyle: 'json' }),
    AuthModule,
    TemporalModule,
    ExportsModule,
    CodecModule,
  ],
  controllers: [HealthController, CongressesController, TemplatesController, PlansController, ApprovalsController],
  providers: [
    // Read once at boot: a broken template file stops the API here, with its file and path.
    { provide: TemplateCatalogue, useFactory: () => TemplateCatalogue.load() },
    { provide: APP_PIPE, useValue: strictValidationPipe() },
    { provide: APP_FILTER, useClass: TemporalExceptionFilter },
    { provide: APP_GUARD, useClass: ThrottlerGuard },
  ],
})
export class AppModule {}
