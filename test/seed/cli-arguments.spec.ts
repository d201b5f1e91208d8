import { parseSeedArguments, UsageError } from '../../src/seed/cli-arguments';

const TODAY = '2026-11-28';
const parse = (...argv: string[]) => parseSeedArguments(argv, TODAY);

describe('npm run seed arguments', () => {
  it('start from the demo size, lessons up to today', () => {
    expect(parse().options).toEqual({
      seed: 1, schools: 3, classesPerGrade: 2, studentsPerClass: 20, until: TODAY, syncedSchools: {},
    });
  });

  it('take a preset and override it flag by flag, in either flag form', () => {
    const { options, reset, databaseUrl, parallelSchools } = parse(
      '--scale', 'city', '--schools=4', '--students-per-class', '25', '--seed', '42', '--reset',
      '--database-url', 'postgres://localhost/x', '--synced', '2=netschool', '--parallel', '1');
    expect(options).toEqual({
      seed: 42, schools: 4, classesPerGrade: 3, studentsPerClass: 25, until: '2027-05-31', syncedSchools: { 2: 'netschool' },
    });
    expect({ reset, databaseUrl, parallelSchools }).toEqual({ reset: true, databaseUrl: 'postgres://localhost/x', parallelSchools: 1 });
  });

  it.each([
    [['--colour', 'red'], /unknown argument "--colour"/],
    [['--schools', 'ten'], /--schools needs a whole number/],
    [['--schools', '-1'], /--schools needs a whole number/],
    [['--schools'], /--schools needs a value/],
    [['--seed', '--reset'], /--seed needs a value/],
    [['--schools', '0'], /schools must be an integer from 1/],
    [['--classes-per-grade', '11'], /classesPerGrade must be an integer from 1 to 10/],
    [['--until', '2026-08-31'], /until must be a date from 2026-09-01/],
    [['--until', '2027-02-30'], /until must be a date/],
    [['--scale', 'country'], /--scale must be one of small, demo, city/],
    [['--synced', 'netschool'], /--synced needs SCHOOL=SYSTEM/],
    [['--synced', '7=netschool'], /synced school 7 is not one of the 3 schools/],
    [['--synced', '1=Net School'], /is not a vendor system id/],
    [['--reset=yes'], /--reset takes no value/],
    [['--parallel', '0'], /--parallel needs a whole number from 1 to 8/],
  ])('refuse %j', (argv, message) => {
    expect(() => parse(...(argv as string[]))).toThrow(UsageError);
    expect(() => parse(...(argv as string[]))).toThrow(message as RegExp);
  });
});
