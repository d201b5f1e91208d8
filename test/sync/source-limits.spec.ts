import { oneRosterCsvAdapter } from '../../adapters/oneroster/csv';
import { Role } from '../../src/policy/viewer';
import { Fixture } from '../factories/fixture';
import { useTestHub } from '../setup/hub';

const CONFIGURE = `mutation($i: ConfigureSyncInput!) { configureSync(input: $i) { config } }`;

describe('what a school’s sync configuration may point the hub at: files', () => {
  const hub = useTestHub({ adapters: [oneRosterCsvAdapter], sourceLimits: { allowPrivateAddresses: false, filesDir: '/srv/journal-hub/imports' } });
  let schoolId: string;
  let itToken: string;

  beforeAll(async () => {
    const f = new Fixture(hub.dataSource);
    schoolId = await f.school();
    itToken = (await f.account([{ role: Role.SCHOOL_IT, person: await f.staff(schoolId, ['it']) }])).token;
  });

  const configure = (path: string) => hub.gql(CONFIGURE, { i: { schoolId, adapterId: 'oneroster-csv', config: { path } } }, itToken);

  it('takes an export inside the imports folder', async () => {
    expect((await configure('/srv/journal-hub/imports/school-3/export.zip')).data.configureSync.config).toEqual({
      path: '/srv/journal-hub/imports/school-3/export.zip', timeZone: 'Asia/Yekaterinburg',
    });
  });

  it('refuses any other file of the machine, however the path is written, and keeps the configuration as it was', async () => {
    for (const path of ['/etc/passwd', '/srv/journal-hub/imports/../.data/secrets.key', '/srv/journal-hub/imports', 'export.zip', '/srv/journal-hub/imports-old/x.zip']) {
      const res = await configure(path);
      expect({ path, fields: res.errors?.[0].extensions.fields }).toEqual({ path, fields: { 'config.path': expect.stringContaining('/srv/journal-hub/imports') } });
    }
    const [row] = await hub.dataSource.query('SELECT config FROM sync_connection WHERE school_id = $1', [schoolId]);
    expect(row.config.path).toBe('/srv/journal-hub/imports/school-3/export.zip');
  });
});
