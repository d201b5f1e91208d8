import { AcademicYear, Term } from '../modules/schools/academic-year.entity';
import { ClassGroup, Course, CourseStudent, CourseTeacher } from '../modules/schools/class-group.entity';
import { Municipality, School, SchoolWorkKindWeight, Subject, WorkKind } from '../modules/schools/school.entity';
import { Enrollment, Guardian, Staff, Student, StudentGuardian } from '../modules/people/person.entity';
import { AccessGrant, Account, AccountRole, DirectorateMember, Session } from '../modules/accounts/account.entity';
import { OutboxMessage, ParentApplication, ParentApplicationEvent } from '../modules/applications/application.entity';
import { AccountEvent, AuditEvent } from '../modules/audit/audit.entity';
import {
  ActivationTarget, LocalAct, ReadinessAnswer, ReportingDate, RolloutActivity, RolloutCampaign, RolloutEvent, RolloutReport, SchoolActivity, SchoolRollout,
} from '../modules/rollout/rollout.entities';
import { Attendance, FinalMark, Lesson, Mark, MarkHistoryEntry } from '../modules/journal/journal.entities';
import { LearningDataVersion, LearningRollup, LearningRollupState, LearningTrendRollup } from '../modules/metrics/learning-rollup.entity';

/** Every TypeORM entity, listed explicitly (no globbing): what is mapped is visible in one place. */
export const entities = [
  Municipality, School, Subject, WorkKind, SchoolWorkKindWeight, AcademicYear, Term, ClassGroup, Course, CourseTeacher, CourseStudent,
  Staff, Student, Guardian, StudentGuardian, Enrollment,
  Lesson, Mark, FinalMark, Attendance, MarkHistoryEntry,
  Account, DirectorateMember, AccountRole, Session, AccessGrant, AuditEvent, AccountEvent,
  ParentApplication, ParentApplicationEvent, OutboxMessage,
  RolloutCampaign, RolloutActivity, ReportingDate, ActivationTarget, SchoolRollout, SchoolActivity, ReadinessAnswer, LocalAct, RolloutEvent, RolloutReport,
  LearningRollup, LearningTrendRollup, LearningDataVersion, LearningRollupState,
];
