/**
 * The loopback webhook receiver: records when each notice first arrived (the moment the request reached it,
 * before any stall), how many times it came, and can play a slow, flaky receiver for chosen congresses.
 * Accepts one notice per request (today's payload) or a batch: an array of notices, or `{ notices: [...] }`.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export interface Notice {
  idempotencyKey: string;
  event?: string;
  congressId?: string;
  unitCode?: string;
  workflowId?: string;
  taskId?: string;
  level?: number;
}

export interface ReceivedNotice extends Notice {
  /** Epoch ms the first request carrying it reached the receiver. */
  firstArrival: number;
  /** Requests that carried it (a retry after a failure counts again). */
  attempts: number;
}

/** The notices in one webhook body, whichever shape it has; entries without an idempotency key are skipped. */
export function noticesOf(body: unknown, headerKey?: string): Notice[] {
  const list: unknown[] = Array.isArray(body)
    ? body
    : body !== null && typeof body === 'object' && Array.isArray((body as { notices?: unknown }).notices)
      ? (body as { notices: unknown[] }).notices
      : [body];
  const notices: Notice[] = [];
  for (const item of list) {
    if (item === null || typeof item !== 'object') continue;
    const raw = item as Record<string, unknown>;
    const key = typeof raw.idempotencyKey === 'string' ? raw.idempotencyKey : list.length === 1 ? headerKey : undefined;
    if (!key) continue;
    const str = (name: string) => (typeof raw[name] === 'string' ? (raw[name] as string) : undefined);
    notices.push({
      idempotencyKey: key,
      event: str('event'),
      congressId: str('congressId'),
      unitCode: str('unitCode'),
      workflowId: str('workflowId'),
      taskId: str('taskId'),
      level: typeof raw.level === 'number' ? raw.level : undefined,
    });
  }
  return notices;
}

export interface SlowBehaviour {
  /** Whether a delivery with these notices is slow (e.g. by congress id). */
  applies(notices: Notice[]): boolean;
  stallMs: number;
  /** One delivery in `failOneIn` (chosen by its keys' hash) fails with 503 the first time it comes. */
  failOneIn: number;
}

/** Deterministic pick of one delivery in `n`, from the keys it carries. */
export function failsOnce(keys: string[], n: number): boolean {
  const digest = createHash('sha256').update(keys.join('\n')).digest();
  return digest.readUInt32BE(0) % n === 0;
}

export class WebhookReceiver {
  readonly notices = new Map<string, ReceivedNotice>();
  requests = 0;
  failuresServed = 0;
  private slow: SlowBehaviour | undefined;
  private readonly failedOnce = new Set<string>();
  private server: Server | undefined;
  private readonly inFlight = new Set<ServerResponse>();
  url = '';

  async start(): Promise<string> {
    this.server = createServer((req, res) => this.handle(req, res));
    this.server.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const port = (this.server.address() as { port: number }).port;
    this.url = `http://127.0.0.1:${port}/hook`;
    return this.url;
  }

  setSlow(behaviour: SlowBehaviour | undefined): void {
    this.slow = behaviour;
  }

  /** Notices received so far that match `filter`. */
  received(filter: (n: ReceivedNotice) => boolean): ReceivedNotice[] {
    return [...this.notices.values()].filter(filter);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const arrival = Date.now();
    this.requests++;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        res.writeHead(400).end();
        return;
      }
      const header = req.headers['idempotency-key'];
      const notices = noticesOf(body, typeof header === 'string' ? header : undefined);
      for (const notice of notices) {
        const seen = this.notices.get(notice.idempotencyKey);
        if (seen) seen.attempts++;
        else this.notices.set(notice.idempotencyKey, { ...notice, firstArrival: arrival, attempts: 1 });
      }
      const slow = this.slow && notices.length > 0 && this.slow.applies(notices) ? this.slow : undefined;
      if (!slow) {
        res.writeHead(204).end();
        return;
      }
      const keys = notices.map((n) => n.idempotencyKey).sort();
      const fingerprint = keys.join('\n');
      const fail = failsOnce(keys, slow.failOneIn) && !this.failedOnce.has(fingerprint);
      if (fail) this.failedOnce.add(fingerprint);
      this.inFlight.add(res);
      setTimeout(() => {
        this.inFlight.delete(res);
        if (fail) this.failuresServed++;
        if (!res.writableEnded) res.writeHead(fail ? 503 : 204).end();
      }, slow.stallMs);
    });
  }

  async close(): Promise<void> {
    for (const res of this.inFlight) if (!res.writableEnded) res.writeHead(503).end();
    this.server?.closeAllConnections();
    await new Promise((resolve) => (this.server ? this.server.close(resolve) : resolve(undefined)));
  }
}
