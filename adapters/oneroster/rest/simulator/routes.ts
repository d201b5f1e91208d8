import { CollectionView, hasRole, VIEWS } from './collections';
import { GRADEBOOK_BASE_PATH, GuidRef, OneRosterRecord, ROSTERING_BASE_PATH } from './model';
import { RecordStore } from './store';

/** What a data path asks for: a whole collection, one record, or the part of a collection that belongs to a parent. */
export type Route =
  | { kind: 'list'; view: CollectionView; parent?: { view: CollectionView; sourcedId: string; belongs: Membership } }
  | { kind: 'item'; view: CollectionView; sourcedId: string };

/** Given the store and the parent's sourcedId, which records of the child collection belong to it. */
type Membership = (store: RecordStore, parentId: string) => (record: OneRosterRecord) => boolean;

const refId = (record: OneRosterRecord, field: string) => (record[field] as GuidRef | undefined)?.sourcedId;

/** Users with an active enrollment in the class (optionally in one role). */
const enrolledIn = (role?: string): Membership => (store, classId) => {
  const userIds = new Set(
    store.all('enrollments')
      .filter((e) => e.status === 'active' && refId(e, 'class') === classId && (!role || e.role === role))
      .map((e) => refId(e, 'user')),
  );
  return (user) => userIds.has(user.sourcedId as string);
};

/** Classes in which the user has an active enrollment. */
const classesOfUser: Membership = (store, userId) => {
  const classIds = new Set(
    store.all('enrollments').filter((e) => e.status === 'active' && refId(e, 'user') === userId).map((e) => refId(e, 'class')),
  );
  return (cls) => classIds.has(cls.sourcedId as string);
};

const withRef = (field: string): Membership => (_, parentId) => (record) => refId(record, field) === parentId;

/** `/{parent}/{id}/{child}` endpoints, per service. */
const SUB_COLLECTIONS: Record<'rostering' | 'gradebook', { parent: string; child: string; belongs: Membership }[]> = {
  rostering: [
    { parent: 'schools', child: 'classes', belongs: withRef('school') },
    { parent: 'schools', child: 'courses', belongs: withRef('org') },
    { parent: 'schools', child: 'enrollments', belongs: withRef('school') },
    {
      parent: 'schools', child: 'students',
      belongs: (_, schoolId) => (u) => hasRole(u, 'student') && (u.roles as { org?: GuidRef }[]).some((r) => r.org?.sourcedId === schoolId),
    },
    {
      parent: 'schools', child: 'teachers',
      belongs: (_, schoolId) => (u) => hasRole(u, 'teacher') && (u.roles as { org?: GuidRef }[]).some((r) => r.org?.sourcedId === schoolId),
    },
    {
      // Terms carry no org: a school's terms are those its classes are taught in.
      parent: 'schools', child: 'terms',
      belongs: (store, schoolId) => {
        const classes = store.all('classes').filter((c) => refId(c, 'school') === schoolId);
        const termIds = new Set(classes.flatMap((c) => ((c.terms ?? []) as GuidRef[]).map((t) => t.sourcedId)));
        return (term) => termIds.has(term.sourcedId as string);
      },
    },
    { parent: 'classes', child: 'students', belongs: enrolledIn('student') },
    { parent: 'classes', child: 'teachers', belongs: enrolledIn('teacher') },
    { parent: 'courses', child: 'classes', belongs: withRef('course') },
    { parent: 'terms', child: 'classes', belongs: (_, termId) => (c) => ((c.terms ?? []) as GuidRef[]).some((t) => t.sourcedId === termId) },
    { parent: 'terms', child: 'gradingPeriods', belongs: withRef('parent') },
    { parent: 'users', child: 'classes', belongs: classesOfUser },
    { parent: 'students', child: 'classes', belongs: classesOfUser },
    { parent: 'teachers', child: 'classes', belongs: classesOfUser },
  ],
  gradebook: [
    { parent: 'classes', child: 'lineItems', belongs: withRef('class') },
    { parent: 'classes', child: 'scoreScales', belongs: withRef('class') },
    {
      parent: 'classes', child: 'results',
      belongs: (store, classId) => {
        const lineItemIds = new Set(store.all('lineItems').filter((l) => refId(l, 'class') === classId).map((l) => l.sourcedId));
        return (result) => lineItemIds.has(refId(result, 'lineItem'));
      },
    },
  ],
};

const SERVICES = [
  { service: 'rostering', basePath: ROSTERING_BASE_PATH },
  { service: 'gradebook', basePath: GRADEBOOK_BASE_PATH },
] as const;

/** The route for a data path, or undefined when the provider has no such endpoint. */
export function resolveRoute(path: string): Route | undefined {
  const service = SERVICES.find((s) => path.startsWith(`${s.basePath}/`));
  if (!service) return undefined;
  const segments = path.slice(service.basePath.length + 1).split('/').map(decodeURIComponent);
  if (segments.some((s) => s === '')) return undefined;
  const viewOf = (name: string) => VIEWS.find((v) => v.name === name && v.service === service.service);
  const [first, id, child] = segments;
  if (segments.length <= 2) {
    const view = viewOf(first);
    if (!view) return undefined;
    return id === undefined ? { kind: 'list', view } : { kind: 'item', view, sourcedId: id };
  }
  const sub = segments.length === 3 && SUB_COLLECTIONS[service.service].find((s) => s.parent === first && s.child === child);
  if (!sub) return undefined;
  // A parent such as `classes` may be a rostering collection listed under the gradebook path.
  const parentView = VIEWS.find((v) => v.name === sub.parent)!;
  return { kind: 'list', view: viewOf(child)!, parent: { view: parentView, sourcedId: id, belongs: sub.belongs } };
}
