import fs from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import { createClock, SimulatorClock } from '../../rest/simulator/clock';
import { generateDataset } from '../../rest/simulator/data/generate';
import { OneRosterRecord, StoredCollection } from '../../rest/simulator/model';
import { resolveOptions, SimulatorOptions } from '../../rest/simulator/options';
import { RecordStore } from '../../rest/simulator/store';

export type { SimulatorOptions } from '../../rest/simulator/options';

/**
 * A OneRoster 1.2 CSV exporter for tests and the demo: the vendor's side of a file export. It holds the
 * same generated data as the REST simulator (same options and seed, same records), lets tests change
 * it, and writes exports as an e-journal does: bulk (every record, status and dateLastModified blank)
 * or delta (what changed since the last export, tombstones flagged tobedeleted), to a folder or a ZIP,
 * with a UTF-8 BOM and CRLF line ends, quoting as RFC 4180 says.
 */
export class OneRosterCsvExporter {
  readonly clock: SimulatorClock = createClock();
  private readonly store: RecordStore;
  private lastExport: string | null = null;
  /** Cells to write instead of the record's own on the next exports: `sourcedId → column → text`. */
  private readonly overrides = new Map<string, Record<string, string>>();

  constructor(options: SimulatorOptions = {}) {
    this.store = new RecordStore(generateDataset(resolveOptions(options)), this.clock);
  }

  records(collection: StoredCollection): OneRosterRecord[] {
    return structuredClone(this.store.all(collection));
  }

  update(collection: StoredCollection, sourcedId: string, patch: OneRosterRecord): void {
    this.store.update(collection, sourcedId, patch);
  }

  add(collection: StoredCollection, record: OneRosterRecord): void {
    this.store.add(collection, record);
  }

  /** Flags the record tobedeleted: a delta export carries the tombstone, a bulk export leaves the record out. */
  remove(collection: StoredCollection, sourcedId: string): void {
    this.store.markDeleted(collection, sourcedId);
  }

  /** The record's row is written with these cells (e.g. `{ score: 'abc' }`), stamped as a change. */
  malform(collection: StoredCollection, sourcedId: string, cells: Record<string, string>): void {
    this.overrides.set(sourcedId, { ...this.overrides.get(sourcedId), ...cells });
    this.store.update(collection, sourcedId, {});
  }

  /**
   * Writes an export to `target` (a folder, or a .zip file) and returns it. `mode` applies to every file;
   * `files` overrides it per file (e.g. `{ results: 'absent' }`).
   */
  async write(target: string, mode: 'bulk' | 'delta', files: Partial<Record<CsvFile, 'bulk' | 'delta' | 'absent'>> = {}): Promise<string> {
    const since = mode === 'delta' ? this.lastExport : null;
    const contents = new Map<string, string>();
    const modes = Object.fromEntries(CSV_FILES.map((f) => [f, files[f] ?? mode])) as Record<CsvFile, 'bulk' | 'delta' | 'absent'>;
    contents.set('manifest.csv', csv(['propertyName', 'value'], [
      ['manifest.version', '1.0'], ['oneroster.version', '1.2'],
      ...ALL_MANIFEST_FILES.map((f) => [`file.${f}`, (modes as Record<string, string>)[f] ?? 'absent']),
      ['source.systemName', 'Электронный журнал (выгрузка OneRoster)'],
    ]));
    for (const file of CSV_FILES) {
      if (modes[file] === 'absent') continue;
      const delta = modes[file] === 'delta';
      const { collection, columns, rows } = FILE_SPECS[file];
      const records = this.store.all(collection)
        .filter((r) => (delta ? since === null || String(r.dateLastModified) > since : r.status !== 'tobedeleted'));
      const lines = records.flatMap((r) => rows(r)).map((row) => {
        const cells: Cells = { ...row, ...(delta ? {} : { status: '', dateLastModified: '' }), ...this.overrides.get(String(row.sourcedId)) };
        return columns.map((c) => cells[c] ?? '');
      });
      contents.set(`${file}.csv`, csv(columns, lines));
    }
    this.lastExport = this.clock.now().toISOString();
    if (/\.zip$/i.test(target)) {
      const zip = new JSZip();
      for (const [name, text] of contents) zip.file(name, text);
      await fs.promises.mkdir(path.dirname(target), { recursive: true });
      await fs.promises.writeFile(target, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
    } else {
      // A new export replaces the old one whole, as a vendor's nightly job does.
      await fs.promises.rm(target, { recursive: true, force: true });
      await fs.promises.mkdir(target, { recursive: true });
      for (const [name, text] of contents) await fs.promises.writeFile(path.join(target, name), text);
    }
    return target;
  }
}

type Cells = Record<string, string>;

const CSV_FILES = ['orgs', 'academicSessions', 'courses', 'classes', 'users', 'roles', 'enrollments', 'demographics', 'categories', 'lineItems', 'results'] as const;
export type CsvFile = (typeof CSV_FILES)[number];
const ALL_MANIFEST_FILES = [
  'academicSessions', 'categories', 'classes', 'classResources', 'courses', 'courseResources', 'demographics', 'enrollments', 'lineItems', 'orgs',
  'resources', 'results', 'roles', 'users',
];

const id = (value: unknown) => (value && typeof value === 'object' ? String((value as { sourcedId?: string }).sourcedId ?? '') : '');
const ids = (value: unknown) => (Array.isArray(value) ? value.map(id).join(',') : '');
const text = (value: unknown) => (value === undefined || value === null ? '' : Array.isArray(value) ? value.join(',') : String(value));
const common = (r: OneRosterRecord): Cells => ({ sourcedId: text(r.sourcedId), status: text(r.status), dateLastModified: text(r.dateLastModified) });

/** The 1.2 CSV binding's columns of each file, and how a JSON-binding record becomes its rows. */
const FILE_SPECS: Record<CsvFile, { collection: StoredCollection; columns: string[]; rows: (r: OneRosterRecord) => Cells[] }> = {
  orgs: {
    collection: 'orgs', columns: ['sourcedId', 'status', 'dateLastModified', 'name', 'type', 'identifier', 'parentSourcedId'],
    rows: (r) => [{ ...common(r), name: text(r.name), type: text(r.type), identifier: text(r.identifier), parentSourcedId: id(r.parent) }],
  },
  academicSessions: {
    collection: 'academicSessions', columns: ['sourcedId', 'status', 'dateLastModified', 'title', 'type', 'startDate', 'endDate', 'parentSourcedId', 'schoolYear'],
    rows: (r) => [{ ...common(r), title: text(r.title), type: text(r.type), startDate: text(r.startDate), endDate: text(r.endDate), parentSourcedId: id(r.parent), schoolYear: text(r.schoolYear) }],
  },
  courses: {
    collection: 'courses', columns: ['sourcedId', 'status', 'dateLastModified', 'schoolYearSourcedId', 'title', 'courseCode', 'grades', 'orgSourcedId', 'subjects', 'subjectCodes'],
    rows: (r) => [{ ...common(r), schoolYearSourcedId: id(r.schoolYear), title: text(r.title), courseCode: text(r.courseCode), grades: text(r.grades), orgSourcedId: id(r.org), subjects: text(r.subjects) }],
  },
  classes: {
    collection: 'classes',
    columns: ['sourcedId', 'status', 'dateLastModified', 'title', 'grades', 'courseSourcedId', 'classCode', 'classType', 'location', 'schoolSourcedId', 'termSourcedIds', 'subjects', 'subjectCodes', 'periods'],
    rows: (r) => [{
      ...common(r), title: text(r.title), grades: text(r.grades), courseSourcedId: id(r.course), classCode: text(r.classCode), classType: text(r.classType),
      location: text(r.location), schoolSourcedId: id(r.school), termSourcedIds: ids(r.terms), subjects: text(r.subjects),
    }],
  },
  users: {
    collection: 'users',
    columns: ['sourcedId', 'status', 'dateLastModified', 'enabledUser', 'username', 'userIds', 'givenName', 'familyName', 'middleName', 'identifier', 'email', 'sms', 'phone',
      'agentSourcedIds', 'grades', 'password', 'userMasterIdentifier', 'preferredGivenName', 'preferredMiddleName', 'preferredFamilyName', 'primaryOrgSourcedId', 'pronouns'],
    rows: (r) => [{
      ...common(r), enabledUser: text(r.enabledUser), username: text(r.username), givenName: text(r.givenName), familyName: text(r.familyName), middleName: text(r.middleName),
      identifier: text(r.identifier), email: text(r.email), phone: text(r.phone), agentSourcedIds: ids(r.agents), grades: text(r.grades), primaryOrgSourcedId: id(r.primaryOrg),
    }],
  },
  // 1.2 keeps a user's roles in their own file; a role's id is its user's and its place.
  roles: {
    collection: 'users', columns: ['sourcedId', 'status', 'dateLastModified', 'userSourcedId', 'roleType', 'role', 'beginDate', 'endDate', 'orgSourcedId', 'userProfileSourcedId'],
    rows: (r) => (Array.isArray(r.roles) ? r.roles : []).map((role: OneRosterRecord, i: number) => ({
      ...common(r), sourcedId: `${text(r.sourcedId)}-role-${i + 1}`, userSourcedId: text(r.sourcedId), roleType: text(role.roleType), role: text(role.role), orgSourcedId: id(role.org),
    })),
  },
  enrollments: {
    collection: 'enrollments', columns: ['sourcedId', 'status', 'dateLastModified', 'classSourcedId', 'schoolSourcedId', 'userSourcedId', 'role', 'primary', 'beginDate', 'endDate'],
    rows: (r) => [{ ...common(r), classSourcedId: id(r.class), schoolSourcedId: id(r.school), userSourcedId: id(r.user), role: text(r.role), primary: text(r.primary), beginDate: text(r.beginDate), endDate: text(r.endDate) }],
  },
  demographics: {
    collection: 'demographics',
    columns: ['sourcedId', 'status', 'dateLastModified', 'birthDate', 'sex', 'americanIndianOrAlaskaNative', 'asian', 'blackOrAfricanAmerican', 'nativeHawaiianOrOtherPacificIslander', 'white',
      'demographicRaceTwoOrMoreRaces', 'hispanicOrLatinoEthnicity', 'countryOfBirthCode', 'stateOfBirthAbbreviation', 'cityOfBirth', 'publicSchoolResidenceStatus'],
    rows: (r) => [{ ...common(r), birthDate: text(r.birthDate), sex: text(r.sex), countryOfBirthCode: text(r.countryOfBirthCode), cityOfBirth: text(r.cityOfBirth) }],
  },
  categories: {
    collection: 'categories', columns: ['sourcedId', 'status', 'dateLastModified', 'title', 'weight'],
    rows: (r) => [{ ...common(r), title: text(r.title), weight: text(r.weight) }],
  },
  lineItems: {
    collection: 'lineItems',
    columns: ['sourcedId', 'status', 'dateLastModified', 'title', 'description', 'assignDate', 'dueDate', 'classSourcedId', 'categorySourcedId', 'academicSessionSourcedId', 'resultValueMin', 'resultValueMax', 'schoolSourcedId'],
    rows: (r) => [{
      ...common(r), title: text(r.title), description: text(r.description), assignDate: text(r.assignDate), dueDate: text(r.dueDate), classSourcedId: id(r.class),
      categorySourcedId: id(r.category), academicSessionSourcedId: id(r.academicSession), resultValueMin: text(r.resultValueMin), resultValueMax: text(r.resultValueMax), schoolSourcedId: id(r.school),
    }],
  },
  results: {
    collection: 'results',
    columns: ['sourcedId', 'status', 'dateLastModified', 'lineItemSourcedId', 'studentSourcedId', 'scoreStatus', 'score', 'scoreDate', 'comment', 'textScore', 'classSourcedId', 'inProgress', 'incomplete', 'late', 'missing'],
    rows: (r) => [{
      ...common(r), lineItemSourcedId: id(r.lineItem), studentSourcedId: id(r.student), scoreStatus: text(r.scoreStatus), score: text(r.score), scoreDate: text(r.scoreDate),
      comment: text(r.comment), textScore: text(r.textScore), classSourcedId: id(r.class),
    }],
  },
};

/** RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled; CRLF line ends; a UTF-8 BOM as spreadsheet tools write. */
function csv(columns: string[], rows: string[][]): string {
  const field = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
  return '\uFEFF' + [columns, ...rows].map((row) => row.map(field).join(',')).join('\r\n') + '\r\n';
}
