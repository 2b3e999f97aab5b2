/** Builds and configures the HTTP application; shared by main.ts and the tests so they run the same thing. */
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Logger } from 'nestjs-pino';
import type { ApiEnv } from '../../libs/config';
import { API_ENV } from './api.config';
import { AppModule } from './app.module';
import { requestContext } from './common/request-context';
import { ensureRequestId } from './common/request-id';

export async function createApiApp(): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { bufferLogs: true, bodyParser: false });
  const env = app.get<ApiEnv>(API_ENV);
  app.useLogger(app.get(Logger));
  // First of all, so that every answer carries an X-Request-Id, even one the body parser gives (413, bad JSON).
  // The id is also kept in an async context, from which the Temporal client sends it along to workflows.
  app.use((req: IncomingMessage, res: ServerResponse, next: () => void) => {
    requestContext.run({ requestId: ensureRequestId(req, res) }, next);
  });
  app.use(helmet());
  app.useBodyParser('json', { limit: env.BODY_LIMIT });
  app.set('trust proxy', 'loopback');
  const origins = env.CORS_ORIGINS.split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  if (origins.length > 0) app.enableCors({ origin: origins, credentials: false });
  app.enableShutdownHooks(['SIGINT', 'SIGTERM']);

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('tminus')
      .setDescription(
        "Preparatory timelines of a Party congress: each support unit's plan runs as a Temporal workflow that escalates overdue tasks, waits on the Standing Committee's approvals and branches on contingencies.",
      )
      .setVersion('0.1.0')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
  return app;
}
