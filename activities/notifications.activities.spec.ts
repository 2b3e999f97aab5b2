/**
 * The notification activity against real receivers on loopback: an HTTP webhook and an SMTP server.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { SMTPServer } from 'smtp-server';
import {
  createNotificationActivities,
  HEARTBEAT_AFTER_MS,
  IDEMPOTENCY_HEADER,
  type NotificationBatchResult,
  signBody,
  SIGNATURE_HEADER,
  type NotificationInput,
} from './notifications.activities';

const SECRET = 'webhook-secret-0123456789';

const input: NotificationInput = {
  idempotencyKey: 'plan/dh-x/BPTT/escalation:TT-01:1790000000000:2',
  workflowId: 'plan/dh-x/BPTT',
  congressId: 'dh-x',
  unitCode: 'BPTT',
  event: 'escalation',
  subject: '[Báo cáo vượt cấp 2] Ban hành kế hoạch',
  text: 'Nhiệm vụ đã quá hạn. Đề nghị khẩn trương đôn đốc, hoàn thành.',
  recipients: [
    { id: 'ptthang', name: 'Phạm Thị Thu Hằng', email: 'hang@example.vn' },
    { id: 'vptu-tt1', name: 'Lê Minh' },
  ],
  taskId: 'TT-01',
  level: 2,
  createdAt: Date.UTC(2026, 8, 1, 10),
};

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

async function webhookServer(statuses: number[]): Promise<{ server: Server; url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(statuses[Math.min(received.length - 1, statuses.length - 1)]).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received };
}

describe('deliverNotification', () => {
  const env = new MockActivityEnvironment();

  it('posts a signed body, and a retry after a failure sends exactly the same request', async () => {
    const hook = await webhookServer([503, 204]);
    try {
      const { deliverNotification } = createNotificationActivities({ webhookUrl: hook.url, webhookSecret: SECRET });
      await expect(env.run(deliverNotification, input)).rejects.toThrow(/webhook answered 503/);
      await expect(env.run(deliverNotification, input)).resolves.toEqual({ webhook: 'sent', emails: 0 });
      expect(hook.received).toHaveLength(2);
      const [first, retry] = hook.received;
      expect(retry.body).toBe(first.body);
      expect(retry.headers[IDEMPOTENCY_HEADER]).toBe(input.idempotencyKey);
      expect(retry.headers[SIGNATURE_HEADER]).toBe(first.headers[SIGNATURE_HEADER]);
      expect(retry.headers[SIGNATURE_HEADER]).toBe(signBody(retry.body, SECRET));
      const body = JSON.parse(retry.body) as Record<string, unknown>;
      expect(body).toMatchObject({
        event: 'escalation',
        level: 2,
        taskId: 'TT-01',
        createdAt: '2026-09-01T10:00:00.000Z',
      });
    } finally {
      hook.server.close();
    }
  });

  it('gives up at once (non-retryable) when the receiver rejects the request', async () => {
    const hook = await webhookServer([400]);
    try {
      const { deliverNotification } = createNotificationActivities({ webhookUrl: hook.url, webhookSecret: SECRET });
      const failure = await env.run(deliverNotification, input).catch((err: unknown) => err);
      expect(failure).toBeInstanceOf(ApplicationFailure);
      expect((failure as ApplicationFailure).nonRetryable).toBe(true);
      expect((failure as ApplicationFailure).type).toBe('WebhookRejected');
    } finally {
      hook.server.close();
    }
  });

  it('emails the recipients who have an address, with one Message-ID per notification', async () => {
    const mails: Array<{ to: string[]; data: string }> = [];
    const smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, session, callback) {
        let data = '';
        stream.on('data', (c: Buffer) => (data += c.toString('utf8')));
        stream.on('end', () => {
          mails.push({ to: session.envelope.rcptTo.map((r) => r.address), data });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const port = (smtp.server.address() as AddressInfo).port;
    try {
      const { deliverNotification } = createNotificationActivities({
        smtpUrl: `smtp://127.0.0.1:${port}`,
        mailFrom: 'tminus@tinhuy.vn',
      });
      await expect(env.run(deliverNotification, input)).resolves.toEqual({ webhook: 'not-configured', emails: 1 });
      await env.run(deliverNotification, input);
      expect(mails).toHaveLength(2);
      expect(mails[0].to).toEqual(['hang@example.vn']);
      const messageId = (data: string) => /^Message-ID: (.*)$/im.exec(data)?.[1];
      expect(messageId(mails[0].data)).toBeDefined();
      expect(messageId(mails[1].data)).toBe(messageId(mails[0].data));
      expect(mails[0].data).toMatch(/^Subject: /m);
    } finally {
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
    }
  });
});

describe('deliverNotifications (every notice of one wake-up)', () => {
  const notices = ['A', 'B', 'C'].map((id) => ({ ...input, idempotencyKey: `${input.idempotencyKey}/${id}` }));

  /** A receiver answering by the notice's key: a status, and how long to stall first. */
  async function keyedServer(answer: (key: string) => { status: number; stallMs?: number }) {
    const seen: string[] = [];
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const key = String(req.headers[IDEMPOTENCY_HEADER]);
        seen.push(key);
        const { status, stallMs = 0 } = answer(key);
        setTimeout(() => res.writeHead(status).end(), stallMs);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, seen };
  }

  function heartbeatsOf(env: MockActivityEnvironment): unknown[] {
    const beats: unknown[] = [];
    env.on('heartbeat', (details: unknown) => beats.push(details));
    return beats;
  }

  it('a prompt batch records no heartbeat (each one is a write on the server)', async () => {
    const hook = await keyedServer(() => ({ status: 204 }));
    try {
      const env = new MockActivityEnvironment();
      const beats = heartbeatsOf(env);
      const { deliverNotifications } = createNotificationActivities({ webhookUrl: hook.url });
      const result = (await env.run(deliverNotifications, { notices })) as NotificationBatchResult;
      expect(result.delivered.sort()).toEqual(notices.map((n) => n.idempotencyKey).sort());
      expect(beats).toEqual([]);
    } finally {
      hook.server.close();
    }
  });

  it('a failing attempt records what went out, and the retry sends only what is left', async () => {
    let failing = true;
    const hook = await keyedServer((key) => ({ status: key.endsWith('/B') && failing ? 503 : 204 }));
    try {
      const env = new MockActivityEnvironment();
      const beats = heartbeatsOf(env);
      const { deliverNotifications } = createNotificationActivities({ webhookUrl: hook.url });
      await expect(env.run(deliverNotifications, { notices })).rejects.toThrow(/1 of 3 notices not delivered/);
      const last = beats.at(-1) as NotificationBatchResult;
      expect(last.delivered.sort()).toEqual([notices[0].idempotencyKey, notices[2].idempotencyKey]);
      failing = false;
      hook.seen.length = 0;
      const retry = new MockActivityEnvironment({ heartbeatDetails: last });
      const result = (await retry.run(deliverNotifications, { notices })) as NotificationBatchResult;
      expect(hook.seen).toEqual([notices[1].idempotencyKey]);
      expect(result.delivered).toHaveLength(3);
    } finally {
      hook.server.close();
    }
  });

  it('a slow batch records its progress as it goes', async () => {
    const hook = await keyedServer((key) => ({
      status: 204,
      stallMs: key.endsWith('/C') ? HEARTBEAT_AFTER_MS + 300 : 0,
    }));
    try {
      const env = new MockActivityEnvironment();
      const beats = heartbeatsOf(env);
      const { deliverNotifications } = createNotificationActivities({ webhookUrl: hook.url });
      await env.run(deliverNotifications, { notices });
      expect(beats.length).toBeGreaterThanOrEqual(1);
      expect((beats.at(-1) as NotificationBatchResult).delivered).toHaveLength(3);
    } finally {
      hook.server.close();
    }
  });
});
