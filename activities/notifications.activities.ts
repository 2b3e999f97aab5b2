/**
 * Notifications: a webhook POST signed with HMAC-SHA256, and email over SMTP when configured. Idempotent under
 * retries: the body is a pure function of the effect (no send time in it), and it carries the same
 * idempotency key on every attempt, so a receiver can drop duplicates; emails reuse one Message-ID.
 */
import { createHmac } from 'node:crypto';
import { ApplicationFailure, log } from '@temporalio/activity';
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

export const SIGNATURE_HEADER = 'x-tminus-signature';
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

  return {
    async deliverNotification(input: NotificationInput): Promise<NotificationResult> {
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
    },
  };
}
