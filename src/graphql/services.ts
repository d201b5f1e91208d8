import { DataSource } from 'typeorm';
import { AccountsService } from '../modules/accounts/accounts.service';
import { AuditService } from '../modules/audit/audit.query';
import { DiaryService } from '../modules/diary/diary.service';
import { JournalService } from '../modules/journal/journal.service';
import { PeopleService } from '../modules/people/people.service';
import { SchoolsService } from '../modules/schools/schools.service';

export interface ServiceOptions {
  sessionTtlHours: number;
}

/** The services, created once per process; they hold no per-request state. */
export function createServices(ds: DataSource, options: ServiceOptions) {
  return {
    schools: new SchoolsService(ds),
    people: new PeopleService(ds),
    journal: new JournalService(ds),
    diary: new DiaryService(ds),
    accounts: new AccountsService(ds, options.sessionTtlHours),
    audit: new AuditService(ds),
  };
}

export type Services = ReturnType<typeof createServices>;
