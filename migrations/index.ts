import { CreateCanonicalModel1764320000000 } from './1764320000000-CreateCanonicalModel';
import { CreateAccountsAndAudit1764320100000 } from './1764320100000-CreateAccountsAndAudit';
import { CreateParentApplications1764320200000 } from './1764320200000-CreateParentApplications';
import { CreateRollout1764320300000 } from './1764320300000-CreateRollout';
import { CreateLearningRollups1764320400000 } from './1764320400000-CreateLearningRollups';
import { CreateSyncEngine1764320500000 } from './1764320500000-CreateSyncEngine';
import { SyncDeletionsAndSchedules1764320600000 } from './1764320600000-SyncDeletionsAndSchedules';
import { SubjectAliases1764320700000 } from './1764320700000-SubjectAliases';
import { MarkEnteredAtIndex1764320800000 } from './1764320800000-MarkEnteredAtIndex';
import { MarkEntryTimeUnknown1764320900000 } from './1764320900000-MarkEntryTimeUnknown';
import { AnalyzeDeletedInSource1764321000000 } from './1764321000000-AnalyzeDeletedInSource';
import { SyncStateAsPlainJson1764321100000 } from './1764321100000-SyncStateAsPlainJson';
import { SyncStateInParts1764321200000 } from './1764321200000-SyncStateInParts';
import { SyncStreamDigests1764321300000 } from './1764321300000-SyncStreamDigests';

/** Every migration, in order. Listed explicitly so that the build, the tests and the CLI run the same set. */
export const migrations = [
  CreateCanonicalModel1764320000000, CreateAccountsAndAudit1764320100000, CreateParentApplications1764320200000, CreateRollout1764320300000,
  CreateLearningRollups1764320400000, CreateSyncEngine1764320500000, SyncDeletionsAndSchedules1764320600000, SubjectAliases1764320700000, MarkEnteredAtIndex1764320800000,
  MarkEntryTimeUnknown1764320900000, AnalyzeDeletedInSource1764321000000, SyncStateAsPlainJson1764321100000,
  SyncStateInParts1764321200000, SyncStreamDigests1764321300000,
];
