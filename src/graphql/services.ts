import { DataSource } from 'typeorm';
import { adapters } from '../../adapters';
import type { Adapter } from '../../adapters/contract';
import { SecretBox } from '../sync/secrets';
import { SourceLimits, SyncService } from '../sync/sync.service';
import type { Logger } from '../common/logger';
import { ApplicationsService } from '../modules/applications/applications.service';
import { MailSettings, OutboxService } from '../modules/applications/outbox.service';
import { AccountsService } from '../modules/accounts/accounts.service';
import { AuditService } from '../modules/audit/audit.query';
import { DiaryService } from '../modules/diary/diary.service';
import { JournalService } from '../modules/journal/journal.service';
import { LearningFiguresService } from '../modules/metrics/learning-figures.service';
import { PeopleService } from '../modules/people/people.service';
import { RolloutService } from '../modules/rollout/rollout.service';
import { SchoolsService } from '../modules/schools/schools.service';

export interface ServiceOptions {
  sessionTtlHours: number;
  mail: MailSettings;
  logger?: Logger;
  /** The vendor adapters on offer (tests pass their own). */
  adapters?: readonly Adapter[];
  /** Encrypts vendor credentials; null when no key is configured. */
  secrets?: SecretBox | null;
  /** What a school's sync configuration may point the hub at (addresses, files). */
  sourceLimits?: SourceLimits;
}

/** The services, created once per process; they hold no per-request state. */
export function createServices(ds: DataSource, options: ServiceOptions) {
  const accounts = new AccountsService(ds, options.sessionTtlHours);
  return {
    schools: new SchoolsService(ds),
    people: new PeopleService(ds),
    journal: new JournalService(ds),
    diary: new DiaryService(ds),
    accounts,
    applications: new ApplicationsService(ds, accounts),
    outbox: new OutboxService(ds, options.mail, options.logger),
    rollout: new RolloutService(ds),
    sync: new SyncService(ds, options.adapters ?? adapters, options.secrets ?? null, options.logger, options.sourceLimits),
    audit: new AuditService(ds),
    metrics: new LearningFiguresService(ds),
  };
}

export type Services = ReturnType<typeof createServices>;
