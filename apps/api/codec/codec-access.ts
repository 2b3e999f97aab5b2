/**
 * Who may use the codec endpoint. It turns ciphertext back into plans' contents, so it is guarded like the
 * data itself: with PAYLOAD_CODEC_AUTH=token (the default, production) a bearer token with the ops or admin
 * role, which the Temporal UI passes along (TEMPORAL_CODEC_PASS_ACCESS_TOKEN=true); with =loopback (`npm start`,
 * whose dev-server UI cannot pass a token) callers on this machine only, by the socket's address, never a
 * forwarded header. Browsers may call it only from the Temporal UI's origin.
 */
import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  type NestMiddleware,
} from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import type { ApiEnv } from '../../../libs/config';
import { API_ENV } from '../api.config';
import { JwtAuthGuard } from '../auth/jwt-auth.guard';

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

export function isLoopbackAddress(address: string | undefined): boolean {
  return !!address && LOOPBACK.test(address);
}

/** The origin browsers load the Temporal UI from, as TEMPORAL_UI_URL says. */
export function temporalUiOrigin(env: Pick<ApiEnv, 'TEMPORAL_UI_URL'>): string {
  return new URL(env.TEMPORAL_UI_URL).origin;
}

@Injectable()
export class CodecAccessGuard implements CanActivate {
  constructor(
    @Inject(API_ENV) private readonly env: ApiEnv,
    private readonly jwtGuard: JwtAuthGuard,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.env.PAYLOAD_CODEC_AUTH === 'loopback') {
      const request = context.switchToHttp().getRequest<Request>();
      if (!isLoopbackAddress(request.socket.remoteAddress)) {
        throw new ForbiddenException(
          'the codec endpoint answers callers on this machine only (PAYLOAD_CODEC_AUTH=loopback)',
        );
      }
      return true;
    }
    return this.jwtGuard.canActivate(context);
  }
}

/** CORS for the codec routes, for the Temporal UI's origin only; any other browser origin is refused. */
@Injectable()
export class CodecCorsMiddleware implements NestMiddleware {
  private readonly allowedOrigin: string;

  constructor(@Inject(API_ENV) env: ApiEnv) {
    this.allowedOrigin = temporalUiOrigin(env);
  }

  use(req: Request, res: Response, next: NextFunction): void {
    const origin = req.headers.origin;
    if (origin !== undefined) {
      res.vary('Origin');
      if (origin !== this.allowedOrigin) {
        res.status(403).json({
          statusCode: 403,
          error: 'Forbidden',
          code: 'FORBIDDEN',
          message: `origin ${origin} may not call the codec endpoint: only the Temporal UI (${this.allowedOrigin}, from TEMPORAL_UI_URL)`,
        });
        return;
      }
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
      // What the UI sends: JSON, the namespace, and the ops user's token when it passes it.
      res.setHeader('Access-Control-Allow-Headers', 'Content-Type, X-Namespace, Authorization');
      res.setHeader('Access-Control-Max-Age', '600');
    }
    if (req.method === 'OPTIONS') {
      res.status(204).end();
      return;
    }
    next();
  }
}
