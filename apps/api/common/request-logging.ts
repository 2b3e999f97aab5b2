/**
 * What the API logs per request. At `info` (the default) only method, path, status and the request id: copying
 * and serialising every header of every request was a measurable part of the API's cost. `debug` and `trace`
 * log the full request and response (headers included, the Authorization header redacted).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { stdSerializers } from 'pino';
import type { Options } from 'pino-http';
import { ensureRequestId } from './request-id';

type RequestWithId = IncomingMessage & { id?: unknown; originalUrl?: string };

export function requestLogOptions(level: string): Options {
  const verbose = level === 'debug' || level === 'trace';
  return {
    level,
    base: { service: 'tminus-api' },
    // A request id from the caller (X-Request-Id) or a new one; echoed back and passed to workflow calls.
    genReqId: (req, res) => ensureRequestId(req, res),
    autoLogging: { ignore: (req) => req.url === '/health' },
    ...(verbose
      ? { redact: ['req.headers.authorization'] }
      : {
          wrapSerializers: false,
          serializers: {
            req: (req: RequestWithId) => ({ id: req.id, method: req.method, url: req.originalUrl ?? req.url }),
            res: (res: ServerResponse) => ({ statusCode: res.statusCode }),
            err: stdSerializers.err,
          },
        }),
  };
}
