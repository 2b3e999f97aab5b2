/**
 * The request id: the caller's X-Request-Id when it is well formed, a new UUID otherwise; echoed back in the
 * X-Request-Id header and kept on the request. Assigned by the first middleware, so that answers from the body
 * parser (413, malformed JSON) carry one too, and reused by pino-http for its logs.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

const REQUEST_ID_PATTERN = /^[A-Za-z0-9_.:-]{1,128}$/;

export function ensureRequestId(req: IncomingMessage & { id?: unknown }, res: ServerResponse): string {
  if (typeof req.id === 'string' && req.id) return req.id;
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && REQUEST_ID_PATTERN.test(given) ? given : randomUUID();
  req.id = id;
  if (!res.headersSent) res.setHeader('X-Request-Id', id);
  return id;
}
