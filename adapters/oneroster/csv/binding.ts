import { AdapterError } from '../../contract';
import { OrRecord } from '../oneroster';
import { ExportFiles } from './files';
import { cell, CsvRow, headerOf, rowsOf } from './table';

/**
 * The OneRoster 1.2 CSV binding (manifest.csv and the files this adapter reads), and each row read
 * into the JSON binding's shape — the shape the family's mapping takes — so that both bindings map
 * through the same code: `courseSourcedId` becomes the GUIDRef `course`, `"05,06"` the list `grades`.
 */

/** The files the hub reads, in the order it reads them. */
export const FILES = ['orgs', 'academicSessions', 'courses', 'classes', 'categories', 'enrollments', 'roles', 'users', 'demographics', 'lineItems', 'results'] as const;
export type OrFile = (typeof FILES)[number];
export type FileMode = 'bulk' | 'delta' | 'absent';

export const fileName = (file: OrFile) => `${file}.csv`;

/** Files the 1.2 manifest must declare (roles.csv is new in 1.2 and optional in the manifest). */
const DECLARED: OrFile[] = ['orgs', 'academicSessions', 'courses', 'classes', 'categories', 'enrollments', 'users', 'demographics', 'lineItems', 'results'];

/** The columns each file must have for the mapping; a delta file also needs status and dateLastModified. */
const COLUMNS: Record<OrFile, string[]> = {
  orgs: ['sourcedId', 'name', 'type'],
  academicSessions: ['sourcedId', 'title', 'type', 'startDate', 'endDate', 'parentSourcedId', 'schoolYear'],
  courses: ['sourcedId', 'title', 'schoolYearSourcedId', 'orgSourcedId'],
  classes: ['sourcedId', 'title', 'classType', 'courseSourcedId', 'schoolSourcedId', 'termSourcedIds'],
  categories: ['sourcedId', 'title'],
  enrollments: ['sourcedId', 'classSourcedId', 'schoolSourcedId', 'userSourcedId', 'role'],
  roles: ['sourcedId', 'userSourcedId', 'role', 'orgSourcedId'],
  users: ['sourcedId', 'givenName', 'familyName'],
  demographics: ['sourcedId'],
  lineItems: ['sourcedId', 'title', 'assignDate', 'classSourcedId', 'categorySourcedId'],
  results: ['sourcedId', 'lineItemSourcedId', 'studentSourcedId', 'scoreStatus', 'score'],
};

export type Manifest = Record<OrFile, FileMode>;

/** manifest.csv, checked: a malformed manifest ends the run before anything is written. */
export async function readManifest(files: ExportFiles): Promise<Manifest> {
  if (!files.has('manifest.csv')) {
    throw new AdapterError('config', `"${files.where}" has no manifest.csv: it is not a OneRoster CSV export (or the vendor has not finished writing it).`);
  }
  const properties = new Map<string, { value: string; row: number }>();
  const header = await headerOf(files, 'manifest.csv');
  if (header[0] !== 'propertyName' || header[1] !== 'value') {
    throw new AdapterError('config', `manifest.csv must start with the header "propertyName,value"; it has "${header.join(',')}".`);
  }
  for await (const row of rowsOf(files, 'manifest.csv')) properties.set(cell(row, 'propertyName') ?? '', { value: cell(row, 'value') ?? '', row: row.row });
  const problems: string[] = [];
  const version = properties.get('oneroster.version')?.value;
  if (!properties.has('manifest.version')) problems.push('it has no manifest.version');
  if (version === undefined) problems.push('it has no oneroster.version');
  else if (!/^1\.2(\.\d+)?$/.test(version)) problems.push(`its oneroster.version is "${version}", and this adapter reads OneRoster 1.2`);
  const manifest = {} as Manifest;
  for (const file of FILES) {
    const declared = properties.get(`file.${file}`);
    if (!declared) {
      if (DECLARED.includes(file)) problems.push(`it does not declare file.${file}`);
      manifest[file] = 'absent';
    } else if (declared.value !== 'bulk' && declared.value !== 'delta' && declared.value !== 'absent') {
      problems.push(`row ${declared.row}: file.${file} is "${declared.value}", not bulk, delta or absent`);
    } else {
      manifest[file] = declared.value;
      if (declared.value !== 'absent' && !files.has(fileName(file))) problems.push(`it declares file.${file} as ${declared.value}, and ${fileName(file)} is not in the export`);
    }
  }
  if (problems.length > 0) throw new AdapterError('config', `manifest.csv of "${files.where}" is malformed: ${problems.join('; ')}.`);
  return manifest;
}

/** Every file the manifest declares has the columns the mapping needs: checked before anything is written. */
export async function checkColumns(files: ExportFiles, manifest: Manifest): Promise<void> {
  const problems: string[] = [];
  for (const file of FILES) {
    if (manifest[file] === 'absent') continue;
    const header = new Set(await headerOf(files, fileName(file)));
    const needed = [...COLUMNS[file], ...(manifest[file] === 'delta' ? ['status', 'dateLastModified'] : [])];
    const missing = needed.filter((column) => !header.has(column));
    if (missing.length > 0) problems.push(`${fileName(file)} (${manifest[file]}) has no column ${missing.map((c) => `"${c}"`).join(', ')}`);
  }
  if (problems.length > 0) throw new AdapterError('config', `The export in "${files.where}" cannot be read: ${problems.join('; ')}.`);
}

// ---------------------------------------------------------------- rows → JSON-binding records

const ref = (id: string | undefined) => (id === undefined ? undefined : { sourcedId: id });
const list = (cell: string | undefined) => (cell === undefined ? [] : cell.split(',').map((v) => v.trim()).filter(Boolean));

/** A row as a OneRoster record: blank cells are absent fields; a bulk file's blank status is active. */
export function recordOf(file: OrFile, row: CsvRow): OrRecord {
  const v = (column: string) => cell(row, column);
  // One literal per file, its fields after the three every record has: no record built only to be copied.
  const sourcedId = v('sourcedId');
  const status = v('status') ?? 'active';
  const dateLastModified = v('dateLastModified');
  switch (file) {
    case 'orgs':
      return { sourcedId, status, dateLastModified, name: v('name'), type: v('type'), identifier: v('identifier'), parent: ref(v('parentSourcedId')) };
    case 'academicSessions':
      return {
        sourcedId, status, dateLastModified, title: v('title'), type: v('type'), startDate: v('startDate'), endDate: v('endDate'), parent: ref(v('parentSourcedId')),
        schoolYear: v('schoolYear'),
      };
    case 'courses':
      return {
        sourcedId, status, dateLastModified, title: v('title'), courseCode: v('courseCode'), schoolYear: ref(v('schoolYearSourcedId')), grades: list(v('grades')),
        subjects: list(v('subjects')), org: ref(v('orgSourcedId')),
      };
    case 'classes':
      return {
        sourcedId, status, dateLastModified, title: v('title'), classCode: v('classCode'), classType: v('classType'), location: v('location'), grades: list(v('grades')),
        subjects: list(v('subjects')), course: ref(v('courseSourcedId')), school: ref(v('schoolSourcedId')), terms: list(v('termSourcedIds')).map((id) => ({ sourcedId: id })),
      };
    case 'categories':
      return { sourcedId, status, dateLastModified, title: v('title'), weight: v('weight') };
    case 'enrollments':
      return {
        sourcedId, status, dateLastModified, class: ref(v('classSourcedId')), school: ref(v('schoolSourcedId')), user: ref(v('userSourcedId')), role: v('role'),
        primary: v('primary'), beginDate: v('beginDate'), endDate: v('endDate'),
      };
    case 'roles':
      return {
        sourcedId, status, dateLastModified, user: ref(v('userSourcedId')), roleType: v('roleType'), role: v('role'), org: ref(v('orgSourcedId')),
        beginDate: v('beginDate'), endDate: v('endDate'),
      };
    case 'users':
      return {
        sourcedId, status, dateLastModified, enabledUser: v('enabledUser'), username: v('username'), givenName: v('givenName'), familyName: v('familyName'),
        middleName: v('middleName'), identifier: v('identifier'), agents: list(v('agentSourcedIds')).map((id) => ({ sourcedId: id })), roles: [],
      };
    case 'demographics':
      return { sourcedId, status, dateLastModified, birthDate: v('birthDate'), sex: v('sex') };
    case 'lineItems':
      return {
        sourcedId, status, dateLastModified, title: v('title'), description: v('description'), assignDate: v('assignDate'), dueDate: v('dueDate'),
        class: ref(v('classSourcedId')), category: ref(v('categorySourcedId')), academicSession: ref(v('academicSessionSourcedId')), school: ref(v('schoolSourcedId')),
      };
    case 'results':
      return {
        sourcedId, status, dateLastModified, lineItem: ref(v('lineItemSourcedId')), student: ref(v('studentSourcedId')), class: ref(v('classSourcedId')),
        scoreStatus: v('scoreStatus'), score: v('score'), textScore: v('textScore'), scoreDate: v('scoreDate'), comment: v('comment'),
      };
  }
}
