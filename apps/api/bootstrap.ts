/** Builds and configures the HTTP application; shared by main.ts and the tests so they run the same thing. */
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import helmet from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Logger } from 'nestjs-pino';
import type { ApiEnv } from '../../libs/config';
import { API_ENV } from './api.config';
import { AppModule } from './app.module';
import { requestContext } from './common/request-context';
import { ensureRequestId } from './common/request-id';

/** Express's `trust proxy` from TRUST_PROXY: a hop count, `true`, or proxy addresses; unset is off. */
export function trustProxySetting(value: string | undefined): boolean | number | string {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  return /^\d+$/.test(value) ? Number(value) : value;
}

/**
 * Helmet's headers; HSTS and `upgrade-insecure-requests` only on requests that came over TLS (directly, or
 * through a trusted proxy's X-Forwarded-Proto). Sent over plain http they make a browser ask for https, and
 * /docs on a LAN address stays blank.
 */
export function securityHeaders() {
  const overTls = helmet();
  const plain = helmet({
    strictTransportSecurity: false,
    contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
  });
  return (req: Request, res: Response, next: (err?: unknown) => void) => (req.secure ? overTls : plain)(req, res, next);
}

export async function createApiApp(): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { bufferLogs: true, bodyParser: false });
  const env = app.get<ApiEnv>(API_ENV);
  app.useLogger(app.get(Logger));
  // First of all, so that every answer carries an X-Request-Id, even one the body parser gives (413, bad JSON).
  // The id is also kept in an async context, from which the Temporal client sends it along to workflows.
  app.use((req: IncomingMessage, res: ServerResponse, next: () => void) => {
    requestContext.run({ requestId: ensureRequestId(req, res) }, next);
  });
  // Off unless configured: otherwise any client picks its own address (X-Forwarded-For) and dodges the rate limit.
  app.set('trust proxy', trustProxySetting(env.TRUST_PROXY));
  app.use(securityHeaders());
  app.useBodyParser('json', { limit: env.BODY_LIMIT });
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
