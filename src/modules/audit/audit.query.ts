import { DataSource, SelectQueryBuilder } from 'typeorm';
import { AccountEvent, AuditEvent } from './audit.entity';

export interface AuditFilter {
  schoolId: string | null;
  studentId?: string | null;
  actorAccountId?: string | null;
  action?: string | null;
  from?: Date | null;
  to?: Date | null;
}

/** Reading the audit trail (writing is recordAudit's). */
export class AuditService {
  constructor(private readonly ds: DataSource) {}

  eventsQuery(filter: AuditFilter): SelectQueryBuilder<AuditEvent> {
    const q = this.ds.getRepository(AuditEvent).createQueryBuilder('e');
    if (filter.schoolId) q.andWhere('e.school_id = :schoolId', { schoolId: filter.schoolId });
    if (filter.studentId) q.andWhere('e.student_id = :studentId', { studentId: filter.studentId });
    if (filter.actorAccountId) q.andWhere('e.actor_account_id = :actor', { actor: filter.actorAccountId });
    if (filter.action) q.andWhere('e.action = :action', { action: filter.action });
    if (filter.from) q.andWhere('e.occurred_at >= :from', { from: filter.from });
    if (filter.to) q.andWhere('e.occurred_at < :to', { to: filter.to });
    return q;
  }

  /** Events of accounts: those the account caused, and those about it (a revocation by an administrator). */
  accountEventsQuery(filter: { accountId: string | null; action?: string | null }): SelectQueryBuilder<AccountEvent> {
    const q = this.ds.getRepository(AccountEvent).createQueryBuilder('e');
    if (filter.accountId) {
      q.andWhere(`(e.actor_account_id = :account OR (e.subject_type = 'account' AND e.subject_id = CAST(:account AS text)))`, { account: filter.accountId });
    }
    if (filter.action) q.andWhere('e.action = :action', { action: filter.action });
    return q;
  }
}
