import pino from 'pino';
import { loadConfig } from '../config/config';
import { openDatabase } from '../db/database';
import { parseSeedArguments, SeedCommand, USAGE, UsageError } from '../seed/cli-arguments';
import { loadMunicipality, SeedProgressEvent, SeedResult } from '../seed/loader';
import { deleteMunicipalityData, hasMunicipalityData } from '../seed/reset';
import { RowCounts, TABLE_NAMES } from '../seed/rows';

/**
 * `npm run seed -- --scale city --seed 42` generates a synthetic municipality and loads it. Progress
 * goes to stderr, the summary to stdout. Exit code 2 on bad arguments, 1 when the load fails.
 */
async function main(argv: string[]): Promise<number> {
  let command: SeedCommand;
  try {
    command = parseSeedArguments(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`seed: ${error.message}\n\n${USAGE}\n`);
    return 2;
  }
  if (command.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const config = loadConfig();
  if (command.databaseUrl) config.databaseUrl = command.databaseUrl;
  // Logs go to stderr with the progress, keeping stdout for the summary.
  const logger = pino({ level: config.logLevel, base: { service: 'journal-hub-seed' } }, pino.destination(2));
  const db = await openDatabase(config, logger);
  try {
    if (await hasMunicipalityData(db.dataSource)) {
      if (!command.reset) {
        process.stderr.write(`seed: ${db.location} already holds a municipality; run with --reset to replace it.\n`);
        return 1;
      }
      const emptied = await deleteMunicipalityData(db.dataSource);
      process.stderr.write(`Emptied ${emptied.length} tables (subject and work_kind kept).\n`);
    }
    const { options } = command;
    process.stderr.write(
      `Seeding ${options.schools} schools × ${options.classesPerGrade * 11} classes × ~${options.studentsPerClass} students ` +
      `(seed ${options.seed}, lessons up to ${options.until}) into ${db.location}\n`);
    const result = await loadMunicipality(db.dataSource, options, progressPrinter(), { parallelSchools: command.parallelSchools });
    process.stdout.write(summaryOf(result));
    return 0;
  } finally {
    await db.close();
  }
}

/** One line per school and phase, journal progress at most every two seconds; schools loading at once interleave. */
function progressPrinter(): (event: SeedProgressEvent) => void {
  let lastJournalLine = 0;
  return (event) => {
    const school = `[${event.position}] ${event.shortName}`;
    if (event.type === 'school-started') {
      process.stderr.write(`${school}: started (${event.position} of ${event.of})\n`);
    } else if (event.type === 'rows-written') {
      if (event.phase === 'journal' && Date.now() - lastJournalLine < 2000) return;
      if (event.phase === 'journal') lastJournalLine = Date.now();
      const w = event.written;
      const what = event.phase === 'roster'
        ? `roster: ${n(w.student)} students, ${n(w.guardian)} guardians, ${n(w.staff)} staff, ${n(w.course)} courses`
        : `journal through ${event.through}: ${n(w.lesson)} lessons, ${n(w.mark)} marks, ${n(w.attendance)} absences, ${n(w.final_mark)} term marks`;
      process.stderr.write(`${school}: ${what} (${rate(total(w), event.elapsedMs)})\n`);
    } else {
      const clashes = event.timetableClashes > 0 ? `; timetable clashes: ${event.timetableClashes} a week` : '';
      process.stderr.write(`${school}: committed ${n(total(event.written))} rows in ${seconds(event.elapsedMs)} (${rate(total(event.written), event.elapsedMs)})${clashes}\n`);
    }
  };
}

function summaryOf(result: SeedResult): string {
  const width = Math.max(...TABLE_NAMES.map((t) => t.length));
  const lines = TABLE_NAMES.map((table) => `  ${table.padEnd(width)}  ${n(result.rowCounts[table]).padStart(12)}`);
  const [first] = result.schools;
  return [
    `Loaded ${n(total(result.rowCounts))} rows in ${seconds(result.elapsedMs)} (${rate(total(result.rowCounts), result.elapsedMs)}).`,
    ...lines,
    '',
    `municipality   ${result.municipalityId}`,
    `school         ${first.id}  ${first.shortName}`,
    `class group    ${first.sample.classGroup.id}  ${first.sample.classGroup.name}`,
    `student        ${first.sample.student.id}  ${first.sample.student.name}`,
    `course         ${first.sample.course.id}  ${first.sample.course.subjectName}`,
    `current term   ${first.sample.currentTerm.id}  ${first.sample.currentTerm.name}`,
    '',
  ].join('\n');
}

function total(counts: RowCounts): number {
  return TABLE_NAMES.reduce((sum, table) => sum + counts[table], 0);
}

function n(value: number): string {
  return value.toLocaleString('en-US');
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function rate(rows: number, ms: number): string {
  return `${n(Math.round(rows / Math.max(ms / 1000, 0.001)))} rows/s`;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`seed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
