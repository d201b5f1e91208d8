import { oneRosterRestAdapter } from '../../../adapters/oneroster/rest';
import { OneRosterSimulator } from '../../../adapters/oneroster/rest/simulator';
import type { ContractSubject } from '../contract/source';

/** The simulator's records are whatever JSON a provider sends. */
type Json = any;

/** The OneRoster 1.2 REST adapter against its simulator: one school, three classes, four weeks of results. */
export const subject: ContractSubject = {
  adapter: oneRosterRestAdapter,
  async open(seed) {
    const simulator = new OneRosterSimulator({ seed, studentsPerClass: 8, weeks: 2 });
    const base = await simulator.start();
    const config = {
      baseUrl: base, tokenUrl: `${base}/token`, clientId: 'hub', clientSecret: 'secret',
      schoolSourcedId: simulator.records('schools')[0].sourcedId as string,
    };
    const active = (collection: string) => simulator.records(collection).filter((r: Json) => r.status === 'active') as Json[];
    return {
      config,
      wrongCredentials: { ...config, clientSecret: 'not-the-secret' },
      async change() {
        const results = active('results').filter((r) => typeof r.score === 'number');
        for (const r of results.slice(0, 3)) simulator.update('results', r.sourcedId, { score: r.score === 5 ? 4 : 5, textScore: r.score === 5 ? '4' : '5' });
        const lineItem = active('lineItems')[0];
        simulator.update('lineItems', lineItem.sourcedId, { title: `${lineItem.title} (исправлено)` });
        const student = active('students')[0];
        simulator.update('students', student.sourcedId, { givenName: 'Всеволод' });
        const template = results[3];
        simulator.add('results', { ...template, sourcedId: `${template.sourcedId}-new`, student: active('results').find((r) => r.lineItem.sourcedId !== template.lineItem.sourcedId && r.student.sourcedId !== template.student.sourcedId)?.student ?? template.student });
      },
      async remove() {
        const result = active('results')[0];
        const enrollment = active('enrollments').find((e) => e.role === 'student')!;
        simulator.remove('results', result.sourcedId);
        simulator.remove('enrollments', enrollment.sourcedId);
        return [{ stream: 'marks', sourceId: result.sourcedId }, { stream: 'enrollments', sourceId: enrollment.sourcedId }];
      },
      async malform() {
        const result = active('results')[1];
        simulator.setFaults({ malformed: [result.sourcedId] });
        return { stream: 'marks', sourceId: result.sourcedId };
      },
      outage(requests) {
        simulator.setFaults({ failNext: requests });
      },
      close: () => simulator.stop(),
    };
  },
};
