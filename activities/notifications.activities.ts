/**
 * Notifications: a webhook POST signed with HMAC-SHA256, and email over SMTP when configured. Idempotent under
 * retries: the body is a pure function of the effect (no send time in it), and it carries the same
 * idempotency key on every attempt, so a receiver can drop duplicates; emails reuse one Message-ID.
 */
import { createHmac } from 'node:crypto';
import { ApplicationFailure, Context, log } from '@temporalio/activity';
import { createTransport, type Transporter } from 'nodemailer';
import type { Person } from '../libs/domain';

export interface NotificationConfig {
  webhookUrl?: string;
  webhookSecret?: string;
  smtpUrl?: string;
  mailFrom?: string;
  /** Milliseconds before a webhook call is abandoned (and retried by Temporal). */
  webhookTimeoutMs?: number;
}

export interface NotificationInput {
  idempotencyKey: string;
  workflowId: string;
  congressId: string;
  unitCode: string;
  event: string;
  subject: string;
  text: string;
  recipients: Person[];
  taskId?: string;
  level?: number;
  /** When the engine produced the notification (epoch ms), not when it is sent. */
  createdAt: number;
}

export interface NotificationResult {
  webhook: 'sent' | 'not-configured';
  emails: number;
}

/** Every notice of one wake-up, delivered by one activity; each keeps its own idempotency key. */
export interface NotificationBatchInput {
  notices: NotificationInput[];
}

export interface NotificationBatchResult {
  /** Keys delivered (on every configured channel). */
  delivered: string[];
  /** Keys a channel refused for good (no retry can help), with the reason. */
  rejected: Array<{ key: string; error: string }>;
}

export const SIGNATURE_HEADER = 'x-tminus-signature';

/** A batch still going after this long records its progress after each notice. */
export const HEARTBEAT_AFTER_MS = 1000;
export const IDEMPOTENCY_HEADER = 'idempotency-key';

export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export function createNotificationActivities(config: NotificationConfig) {
  let transporter: Transporter | undefined;
  const mailer = () => (transporter ??= createTransport(config.smtpUrl!));

  async function postWebhook(input: NotificationInput): Promise<void> {
    const body = JSON.stringify({ ...input, createdAt: new Date(input.createdAt).toISOString() });
    const headers: Record<string, string> = {
      'content-type': 'application/json; charset=utf-8',
      [IDEMPOTENCY_HEADER]: input.idempotencyKey,
    };
    if (config.webhookSecret) headers[SIGNATURE_HEADER] = signBody(body, config.webhookSecret);
    const response = await fetch(config.webhookUrl!, {
      method: 'POST',
      headers,
      body,
      signal: AbortSignal.timeout(config.webhookTimeoutMs ?? 10_000),
    });
    if (response.ok) return;
    const message = `webhook answered ${response.status} for ${input.idempotencyKey}`;
    // A client error other than timeout/rate limit will not heal by retrying.
    if (response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429) {
      throw ApplicationFailure.nonRetryable(message, 'WebhookRejected');
    }
    throw new Error(message);
  }

  async function sendEmails(input: NotificationInput): Promise<number> {
    const to = input.recipients.filter((r) => r.email).map((r) => `"${r.name}" <${r.email}>`);
    if (to.length === 0) return 0;
    await mailer().sendMail({
      from: config.mailFrom ?? 'tminus@localhost',
      to,
      subject: input.subject,
      text: input.text,
      messageId: `<${input.idempotencyKey.replace(/[^A-Za-z0-9.-]/g, '.')}@tminus>`,
      headers: { [IDEMPOTENCY_HEADER]: input.idempotencyKey },
    });
    return to.length;
  }

  async function deliver(input: NotificationInput): Promise<NotificationResult> {
    let webhook: NotificationResult['webhook'] = 'not-configured';
    if (config.webhookUrl) {
      await postWebhook(input);
      webhook = 'sent';
    }
    const emails = config.smtpUrl ? await sendEmails(input) : 0;
    if (!config.webhookUrl && !config.smtpUrl) {
      log.info('notification (no channel configured)', { key: input.idempotencyKey, subject: input.subject });
    }
    return { webhook, emails };
  }

  return {
    /**
     * All notices of one wake-up, in parallel. What was delivered is kept in the heartbeat, so that a retry
     * sends only what is left; a notice refused for good is reported, not retried; any other failure fails
     * the attempt (Temporal retries it) once the other notices are done. A batch that goes through promptly
     * records no heartbeat at all: each is a write on the server, which a thousand notices due at once felt.
     */
    async deliverNotifications(input: NotificationBatchInput): Promise<NotificationBatchResult> {
      const context = Context.current();
      const previous = (context.info.heartbeatDetails as NotificationBatchResult | undefined) ?? {
        delivered: [],
        rejected: [],
      };
      const done = new Set([...previous.delivered, ...previous.rejected.map((r) => r.key)]);
      const progress: NotificationBatchResult = {
        delivered: [...previous.delivered],
        rejected: [...previous.rejected],
      };
      const failures: string[] = [];
      const startedAt = Date.now();
      const record = () => context.heartbeat(progress);
      await Promise.all(
        input.notices
          .filter((n) => !done.has(n.idempotencyKey))
          .map(async (notice) => {
            try {
              await deliver(notice);
              progress.delivered.push(notice.idempotencyKey);
            } catch (err) {
              if (err instanceof ApplicationFailure && err.nonRetryable) {
                progress.rejected.push({ key: notice.idempotencyKey, error: err.message });
              } else {
                failures.push(`${notice.idempotencyKey}: ${err instanceof Error ? err.message : String(err)}`);
              }
            }
            // Only a slow batch records its progress as it goes (the attempt may time out).
            if (Date.now() - startedAt >= HEARTBEAT_AFTER_MS) record();
          }),
      );
      if (failures.length > 0) {
        // The SDK sends the last heartbeat with the failure: the retry sends only what is left.
        record();
        throw ApplicationFailure.retryable(
          `${failures.length} of ${input.notices.length} notices not delivered: ${failures.join('; ')}`,
          'DeliveryFailed',
          progress,
        );
      }
      return progress;
    },
    /** One notice (plans started before notices were batched still schedule this). */
    async deliverNotification(input: NotificationInput): Promise<NotificationResult> {
      return deliver(input);
    },
  };
}
