import { StoredCollection, OneRosterRecord } from './model';

/**
 * The collections a client can list, as OneRoster names them. Several are views over one stored collection
 * (`schools` and `orgs`, `students` and `users`, `terms` and `academicSessions`) and answer in its keys:
 * `GET /students` returns `{"users": [...]}`, `GET /schools/{id}` returns `{"org": {...}}`.
 */
export interface CollectionView {
  name: string;
  stored: StoredCollection;
  service: 'rostering' | 'gradebook';
  listKey: string;
  itemKey: string;
  /** Every field the entity defines, present or not: what `fields`, `filter` and `sort` may name. */
  fields: readonly string[];
  /** A token needs one of these scopes (without the common prefix). */
  scopes: readonly string[];
  includes: (record: OneRosterRecord) => boolean;
}

const COMMON_FIELDS = ['sourcedId', 'status', 'dateLastModified', 'metadata'];

/** OneRoster 1.2 JSON binding, field by field. */
const ENTITY_FIELDS: Record<StoredCollection, readonly string[]> = {
  orgs: ['name', 'type', 'identifier', 'parent', 'children'],
  academicSessions: ['title', 'startDate', 'endDate', 'type', 'parent', 'children', 'schoolYear'],
  courses: ['title', 'schoolYear', 'courseCode', 'grades', 'subjects', 'org', 'subjectCodes', 'resources'],
  classes: [
    'title', 'classCode', 'classType', 'location', 'grades', 'subjects', 'course', 'school', 'terms', 'subjectCodes',
    'periods', 'resources',
  ],
  users: [
    'userMasterIdentifier', 'username', 'userIds', 'enabledUser', 'givenName', 'familyName', 'middleName',
    'preferredFirstName', 'preferredMiddleName', 'preferredLastName', 'pronouns', 'roles', 'userProfiles', 'primaryOrg',
    'identifier', 'email', 'sms', 'phone', 'agents', 'grades', 'password', 'resources',
  ],
  enrollments: ['user', 'class', 'school', 'role', 'primary', 'beginDate', 'endDate'],
  demographics: [
    'birthDate', 'sex', 'americanIndianOrAlaskaNative', 'asian', 'blackOrAfricanAmerican',
    'nativeHawaiianOrOtherPacificIslander', 'white', 'demographicRaceTwoOrMoreRaces', 'hispanicOrLatinoEthnicity',
    'countryOfBirthCode', 'stateOfBirthAbbreviation', 'cityOfBirth', 'publicSchoolResidenceStatus',
  ],
  categories: ['title', 'weight'],
  lineItems: [
    'title', 'description', 'assignDate', 'dueDate', 'class', 'school', 'category', 'gradingPeriod', 'academicSession',
    'scoreScale', 'resultValueMin', 'resultValueMax', 'learningObjectiveSet',
  ],
  results: [
    'lineItem', 'student', 'class', 'scoreScale', 'scoreStatus', 'score', 'textScore', 'scoreDate', 'comment',
    'learningObjectiveSet', 'inProgress', 'incomplete', 'late', 'missing',
  ],
  scoreScales: ['title', 'type', 'course', 'class', 'scoreScaleValue'],
};

/** Fields holding dates or date-times: a filter comparing them must compare with a date. */
export const DATE_FIELDS = new Set([
  'dateLastModified', 'startDate', 'endDate', 'beginDate', 'assignDate', 'dueDate', 'scoreDate', 'birthDate',
]);

const ROSTER = ['roster.readonly', 'roster-core.readonly'];
const DEMOGRAPHICS = ['roster.readonly', 'roster-demographics.readonly'];
const GRADEBOOK = ['gradebook.readonly', 'gradebook-core.readonly'];

export const hasRole = (record: OneRosterRecord, role: string) =>
  Array.isArray(record.roles) && record.roles.some((r: { role?: unknown }) => r?.role === role);

const everything = () => true;

function view(
  name: string, stored: StoredCollection, listKey: string, itemKey: string, includes: (r: OneRosterRecord) => boolean = everything,
): CollectionView {
  const service = ['categories', 'lineItems', 'results', 'scoreScales'].includes(stored) ? 'gradebook' : 'rostering';
  const scopes = service === 'gradebook' ? GRADEBOOK : stored === 'demographics' ? DEMOGRAPHICS : ROSTER;
  return { name, stored, service, listKey, itemKey, fields: [...COMMON_FIELDS, ...ENTITY_FIELDS[stored]], scopes, includes };
}

export const VIEWS: readonly CollectionView[] = [
  view('orgs', 'orgs', 'orgs', 'org'),
  view('schools', 'orgs', 'orgs', 'org', (r) => r.type === 'school'),
  view('academicSessions', 'academicSessions', 'academicSessions', 'academicSession'),
  view('terms', 'academicSessions', 'academicSessions', 'academicSession', (r) => r.type === 'term'),
  view('gradingPeriods', 'academicSessions', 'academicSessions', 'academicSession', (r) => r.type === 'gradingPeriod'),
  view('courses', 'courses', 'courses', 'course'),
  view('classes', 'classes', 'classes', 'class'),
  view('users', 'users', 'users', 'user'),
  view('students', 'users', 'users', 'user', (r) => hasRole(r, 'student')),
  view('teachers', 'users', 'users', 'user', (r) => hasRole(r, 'teacher')),
  view('enrollments', 'enrollments', 'enrollments', 'enrollment'),
  view('demographics', 'demographics', 'demographics', 'demographics'),
  view('categories', 'categories', 'categories', 'category'),
  view('lineItems', 'lineItems', 'lineItems', 'lineItem'),
  view('results', 'results', 'results', 'result'),
  view('scoreScales', 'scoreScales', 'scoreScales', 'scoreScale'),
];

export function viewNamed(name: string): CollectionView {
  const found = VIEWS.find((v) => v.name === name);
  if (!found) throw new Error(`no collection ${name}; collections are ${VIEWS.map((v) => v.name).join(', ')}`);
  return found;
}
