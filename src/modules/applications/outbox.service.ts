import { createTransport, Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import { DataSource, SelectQueryBuilder } from 'typeorm';
import { AppError, notFound } from '../../common/errors';
import type { Logger } from '../../common/logger';
import { SchoolKey } from '../../db/batch';
import type { Context } from '../../graphql/context';
import { policy } from '../../policy/policy';
import { recordAudit } from '../audit/audit.service';
import { OutboxChannel, OutboxMessage, OutboxStatus } from './application.entity';
import { erasePassword } from './applications.service';

/** After this many failed attempts an e-mail stays failed until staff deliver it another way. */
const MAX_ATTEMPTS = 5;

export interface MailSettings {
  /** smtp://user:password@host:port, or null to leave e-mails in the outbox for staff. */
  smtpUrl: string | null;
  from: string;
}

/**
 * The outbox of messages to parents. SMS messages wait for staff to send them (the hub has no SMS
 * gateway) and mark them delivered; e-mails go out through SMTP when it is configured. Either way the
 * one-time password in a message is erased once it is delivered.
 */
export class OutboxService {
  private readonly mailer: Transporter | null;
  private timer: NodeJS.Timeout | undefined;
  private sending: Promise<unknown> = Promise.resolve();

  constructor(private readonly ds: DataSource, private readonly mail: MailSettings, private readonly logger?: Logger) {
    this.mailer = mail.smtpUrl
      ? createTransport({ url: mail.smtpUrl, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 } as SMTPTransport.Options)
      : null;
  }

  listQuery(ctx: Context, schoolId: string, status: OutboxStatus | null): SelectQueryBuilder<OutboxMessage> {
    policy.administerSchool(ctx.viewer, schoolId);
    const q = this.ds.getRepository(OutboxMessage).createQueryBuilder('m').where('m.school_id = :schoolId', { schoolId });
    if (status) q.andWhere('m.status = :status', { status });
    return q;
  }

  /** Staff confirm they delivered a message themselves (an SMS sent, an e-mail forwarded). */
  async markDelivered(ctx: Context, key: SchoolKey): Promise<OutboxMessage> {
    const viewer = policy.administerSchool(ctx.viewer, key.schoolId);
    return this.ds.transaction(async (em) => {
      const message = await em.findOne(OutboxMessage, { where: { schoolId: key.schoolId, id: key.id }, lock: { mode: 'pessimistic_write' } });
      if (!message) throw notFound('message', key.id);
      if (message.status === OutboxStatus.DELIVERED) throw new AppError('CONFLICT', 'OUTBOX_ALREADY_DELIVERED', 'This message has already been delivered.');
      await em.update(OutboxMessage, { schoolId: key.schoolId, id: key.id }, {
        status: OutboxStatus.DELIVERED, deliveredAt: new Date(), deliveredBy: viewer.login, body: erasePassword(message.body),
      });
      await recordAudit(em, [{
        action: 'outbox.delivered', schoolId: key.schoolId, actorAccountId: viewer.accountId, subjectType: 'outbox_message',
        subjectId: key.id, clientAddress: ctx.clientAddress, details: { channel: message.channel },
      }]);
      return em.findOneByOrFail(OutboxMessage, { schoolId: key.schoolId, id: key.id });
    });
  }

  /**
   * Sends pending e-mails, one transaction each: the row is locked (SKIP LOCKED, so several
   * processes can share the work) until the SMTP server has answered.
   */
  async sendPendingEmails(limit = 50): Promise<{ sent: number; failed: number }> {
    const counts = { sent: 0, failed: 0 };
    if (!this.mailer) return counts;
    for (let i = 0; i < limit; i++) {
      const outcome = await this.ds.transaction(async (em) => {
        const [row] = await em.query(
          `SELECT school_id, id FROM outbox_message WHERE channel = $1 AND status = 'pending' ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED`,
          [OutboxChannel.EMAIL],
        );
        if (!row) return null;
        const message = await em.findOneByOrFail(OutboxMessage, { schoolId: row.school_id, id: row.id });
        try {
          await this.mailer!.sendMail({ from: this.mail.from, to: message.recipient, subject: message.subject, text: message.body });
          await em.update(OutboxMessage, { schoolId: message.schoolId, id: message.id }, {
            status: OutboxStatus.DELIVERED, deliveredAt: new Date(), deliveredBy: 'smtp', attempts: message.attempts + 1, body: erasePassword(message.body),
          });
          return 'sent' as const;
        } catch (error) {
          const attempts = message.attempts + 1;
          await em.update(OutboxMessage, { schoolId: message.schoolId, id: message.id }, {
            attempts, lastError: (error as Error).message.slice(0, 500), status: attempts >= MAX_ATTEMPTS ? OutboxStatus.FAILED : OutboxStatus.PENDING,
          });
          this.logger?.warn({ messageId: message.id, attempts }, 'e-mail not sent');
          return 'failed' as const;
        }
      });
      if (outcome === null) break;
      counts[outcome]++;
      if (outcome === 'failed') break;
    }
    return counts;
  }

  /** Sends pending e-mails every `intervalMs` while the server runs (nothing to do without SMTP). */
  start(intervalMs = 30_000): void {
    if (!this.mailer || this.timer) return;
    this.timer = setInterval(() => {
      this.sending = this.sending.then(() => this.sendPendingEmails()).catch((error) => this.logger?.error({ err: error }, 'outbox'));
    }, intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.sending;
    this.mailer?.close();
  }
}
