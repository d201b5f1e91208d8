import { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { OutboxService } from '../../../src/modules/applications/outbox.service';
import { Role } from '../../../src/policy/viewer';
import { Fixture } from '../../factories/fixture';
import { useTestHub } from '../../setup/hub';

/** E-mail delivery of one-time passwords through a real SMTP conversation with a local server. */
describe('outbox e-mail', () => {
  const hub = useTestHub();
  const received: { to: string; data: string }[] = [];
  let smtp: SMTPServer;
  let smtpUrl: string;
  let schoolId: string;
  let adminToken: string;

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, session, callback) {
        let data = '';
        stream.on('data', (chunk) => (data += chunk));
        stream.on('end', () => {
          received.push({ to: session.envelope.rcptTo.map((r) => r.address).join(','), data });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;

    const f = new Fixture(hub.dataSource);
    schoolId = await f.school();
    const year = await f.year(schoolId);
    const cls = await f.classGroup(year, 4, 'Б');
    const child = await f.student(schoolId, 'Почтов', 'Илья');
    await f.enroll(child, cls, '2026-09-01');
    adminToken = (await f.account([{ role: Role.SCHOOL_ADMIN, person: await f.staff(schoolId, ['director']) }])).token;
  });
  afterAll(() => new Promise<void>((resolve) => smtp.close(() => resolve())));

  async function issuedByEmail(email: string, applicantLastName: string) {
    const input = {
      schoolId, source: 'PAPER', applicant: { lastName: applicantLastName, firstName: 'Анна', middleName: 'Львовна' },
      address: { city: 'Когалым', street: 'Ленина', house: '3' }, child: { lastName: 'Почтов', firstName: 'Илья' }, childClass: '4Б',
      relation: 'SON', consent: true, delivery: 'EMAIL', deliveryEmail: email,
    };
    const id = (await hub.gql('mutation($i: SubmitApplicationInput!) { submitApplication(input: $i) { id } }', { i: input }, adminToken)).data.submitApplication.id;
    await hub.gql('mutation($id: ID!) { registerApplication(id: $id) { status } }', { id }, adminToken);
    const issued = await hub.gql('mutation($id: ID!) { issueApplicationCredentials(applicationId: $id) { login message { id body status } } }', { id }, adminToken);
    expect(issued.errors).toBeUndefined();
    return issued.data.issueApplicationCredentials;
  }

  it('sends a pending e-mail through SMTP and then erases its password', async () => {
    const { login, message } = await issuedByEmail('pochtova@example.ru', 'Почтова');
    const password = /Одноразовый пароль: (\S+)/.exec(message.body)![1];
    const outbox = new OutboxService(hub.dataSource, { smtpUrl, from: 'school@test.local' });
    expect(await outbox.sendPendingEmails()).toEqual({ sent: 1, failed: 0 });
    await outbox.stop();

    expect(received).toHaveLength(1);
    expect(received[0].to).toBe('pochtova@example.ru');
    const [row] = await hub.dataSource.query('SELECT status, body, delivered_by, attempts FROM outbox_message WHERE id = $1', [message.id.split(':')[1]]);
    expect(row).toMatchObject({ status: 'delivered', delivered_by: 'smtp', attempts: 1 });
    expect(row.body).toContain(login);
    expect(row.body).not.toContain(password);
  });

  it('keeps an e-mail pending with the error when the SMTP server cannot be reached', async () => {
    const { message } = await issuedByEmail('another@example.ru', 'Почтовая');
    const outbox = new OutboxService(hub.dataSource, { smtpUrl: 'smtp://127.0.0.1:1', from: 'school@test.local' });
    const result = await outbox.sendPendingEmails();
    await outbox.stop();
    expect(result.failed).toBe(1);
    const [row] = await hub.dataSource.query(`SELECT status, attempts, last_error, body FROM outbox_message WHERE id = $1`, [message.id.split(':')[1]]);
    expect(row).toMatchObject({ status: 'pending', attempts: 1, last_error: expect.stringMatching(/ECONNREFUSED|connect/i) });
    expect(row.body).toBe(message.body);
  });
});
